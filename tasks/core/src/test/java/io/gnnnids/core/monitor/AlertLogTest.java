package io.gnnnids.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertLogTest {

    @TempDir
    Path dir;

    private static final Alert LAG = new Alert("consumer_lag", Alert.CRITICAL, "the ETL is 900 records behind");
    private static final Alert ATTACKS = new Alert("attacks_detected", Alert.WARNING, "5 attacks");

    private static List<String> states(List<AlertLog.Line> lines) {
        return lines.stream().map(l -> l.name() + "/" + l.state()).toList();
    }

    @Test
    void writesALineWhenAnAlertIsRaisedAndOneWhenItClearsNotOnePerRun() throws Exception {
        AlertLog log = new AlertLog(dir, 1 << 20, 2);
        assertEquals(List.of("consumer_lag/raised"), states(log.record("t1", List.of(LAG))));
        Alert worse = new Alert("consumer_lag", Alert.CRITICAL, "the ETL is 5000 records behind");
        assertEquals(List.of(), states(log.record("t2", List.of(worse))), "still up: nothing new");
        assertEquals(
                List.of("attacks_detected/raised", "consumer_lag/cleared"), states(log.record("t3", List.of(ATTACKS))));
        assertEquals(List.of("attacks_detected/cleared"), states(log.record("t4", List.of())));
        List<String> lines = Files.readAllLines(log.file());
        assertEquals(4, lines.size());
        assertEquals(
                "{\"generatedAt\":\"t3\",\"name\":\"consumer_lag\",\"severity\":\"critical\","
                        + "\"message\":\"the ETL is 5000 records behind\",\"state\":\"cleared\"}",
                lines.get(2));
    }

    @Test
    void rotatesTheFileWhenFullKeepingTheNewestOldOnes() throws Exception {
        AlertLog log = new AlertLog(dir, 10, 2); // every line is over 10 bytes: each write rotates the last one
        for (int i = 0; i < 4; i++) log.record("t" + i, i % 2 == 0 ? List.of(LAG) : List.of());
        assertTrue(Files.readString(log.file()).contains("\"generatedAt\":\"t3\""));
        assertTrue(Files.readString(dir.resolve("alerts.jsonl.1")).contains("\"generatedAt\":\"t2\""));
        assertTrue(Files.readString(dir.resolve("alerts.jsonl.2")).contains("\"generatedAt\":\"t1\""));
        assertFalse(Files.exists(dir.resolve("alerts.jsonl.3")));
    }
}
