package io.gnnnids.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.kafka.TestRecords;
import io.gnnnids.core.store.HotBatches;
import io.gnnnids.core.store.HotPredictions;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.TestFlows;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MonitorRunTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private MonitorRun.Settings settings(String topic, String group, long maxLag) {
        Path db = dir.resolve("nids.duckdb");
        return new MonitorRun.Settings(
                kafka.bootstrapServers(),
                topic,
                group,
                db,
                () -> HotStore.openReadOnly(db, WAIT),
                new Alert.Limits(maxLag, Duration.ofDays(1), Duration.ofHours(1)),
                null,
                null,
                new ReportDir(dir.resolve("reports")),
                "manual__1",
                Duration.ofDays(7),
                dir.resolve("work"));
    }

    @Test
    void reportsTheLagAndTheHotStoreRaisesAndClearsAlertsAndWritesTheReportAndPage() throws Exception {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("etl");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 50);
        double start = Instant.now().getEpochSecond() - 600;
        List<Flow> flows = TestFlows.flows("C", 30, start);
        try (HotStore store = HotStore.open(dir.resolve("nids.duckdb"), WAIT)) {
            HotBatches.insert(store, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            float[] attack = {0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
            HotPredictions.write(
                    store, flows.subList(0, 10).stream().map(Flow::uid).toList(), attack, 0.5, "1");
        }

        Instant now = Instant.now();
        MonitorRun.Outcome first = MonitorRun.run(settings(topic, group, 10), now);

        MonitorRun.Report report = first.report();
        assertEquals(50L, report.lag(), "nothing committed: every record waits");
        assertNull(report.kafkaError());
        assertEquals(30, report.hotStore().flows());
        assertEquals(20, report.hotStore().unscored());
        assertEquals(5, report.hotStore().attacksInWindow());
        assertTrue(
                report.alerts().stream().anyMatch(a -> a.name().equals("consumer_lag") && a.critical()),
                report.alerts().toString());
        assertEquals(0, report.incidentsPublished(), "no alerts topic: nothing published");
        assertTrue(Files.isRegularFile(first.reportFile()));
        assertTrue(Files.readString(first.page()).contains(topic), "the page names the topic");
        assertTrue(Files.isRegularFile(dir.resolve("reports/run-manual__1.html")));
        assertTrue(
                first.changes().stream()
                        .anyMatch(l ->
                                l.name().equals("consumer_lag") && l.state().equals(AlertLog.RAISED)),
                first.changes().toString());

        MonitorRun.Outcome second = MonitorRun.run(settings(topic, group, 100), now.plusSeconds(60));
        assertTrue(second.critical().isEmpty(), second.report().alerts().toString());
        assertTrue(
                second.changes().stream()
                        .anyMatch(l ->
                                l.name().equals("consumer_lag") && l.state().equals(AlertLog.CLEARED)),
                second.changes().toString());
        assertEquals(2, new ReportDir(dir.resolve("reports")).recentRuns(24).size(), "the trend holds both runs");
    }

    @Test
    void withoutAHotStoreWhileRecordsWaitTheEtlHasStalled() throws Exception {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 2);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 4);

        MonitorRun.Outcome o = MonitorRun.run(settings(topic, TestRecords.unique("etl"), 10), Instant.now());

        assertNull(o.report().hotStore(), "no DuckDB file yet: nothing to say of it");
        assertEquals(4L, o.report().lag());
        assertEquals(2, o.report().partitions().size());
        assertEquals(
                List.of("etl_stalled"),
                o.critical().stream().map(Alert::name).toList(),
                "records wait and no flow was ever stored");
    }
}
