package io.gnnnids.core.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.batch.OffsetRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestJsonTest {

    @TempDir
    Path tmp;

    private static Batch batch(List<String> days) {
        return new Batch(
                "flows-0011223344556677",
                "/work/batches/flows-0011223344556677",
                "flows",
                "etl",
                List.of(new OffsetRange(0, 10, 20), new OffsetRange(3, 0, 5)),
                14,
                1,
                days);
    }

    @Test
    void aManifestReadsBackAsItWasWritten() throws IOException {
        Manifest m = new Manifest(
                "hot-write",
                "0.1.0",
                "/work/batches/b/manifest.json",
                batch(List.of("2026-12-01", "2026-12-02")),
                Map.of("inserted", 14L),
                Map.of("bad_json", 1L),
                Map.of("duckdb", "/data/hot.duckdb"),
                Map.of("stop_reason", "caught-up", "quote", "a \"b\"\nc"),
                "2026-12-02T10:00:00Z",
                0.25);
        assertEquals(m, Manifest.read(m.write(tmp.resolve("m.json"))));
    }

    @Test
    void emptyFieldsAreLeftOutAndABatchWithoutDaysReadsBackWithout() throws IOException {
        Manifest m = new Manifest("consume-batch", "0.1.0", null, batch(null), null, null, null, null, "t", 0);
        Path file = m.write(tmp.resolve("m.json"));
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertFalse(json.has("input"));
        assertFalse(json.has("counts"));
        assertFalse(json.get("batch").has("days"));
        assertEquals(0, json.get("seconds").asDouble());
        Manifest back = Manifest.read(file);
        assertNull(back.batch().days());
        assertEquals(m, back);
    }

    @Test
    void nullsAndFieldsItDoesNotKnowAreSkipped() throws IOException {
        Path file = Files.writeString(tmp.resolve("old.json"), """
                {"step": "cold-write", "version": "0.0.9", "input": null, "future": {"a": [1, {"b": 2}]},
                 "batch": {"id": "x", "dir": "/d", "topic": "t", "group": "g", "extra": [1, 2],
                           "offsets": [{"partition": 2, "start": 5, "end": 9, "leader": 1}],
                           "records": 4, "quarantined": 0, "days": null},
                 "counts": {"written": 4}, "startedAt": "t", "seconds": 1.5}
                """);
        Manifest m = Manifest.read(file);
        assertEquals("cold-write", m.step());
        assertNull(m.input());
        assertEquals(List.of(new OffsetRange(2, 5, 9)), m.batch().offsets());
        assertNull(m.batch().days());
        assertEquals(4, m.count("written"));
        assertEquals(1.5, m.seconds());
    }

    @Test
    void aFileThatIsNoManifestIsRefusedSayingSo() throws IOException {
        Path file = Files.writeString(tmp.resolve("list.json"), "[1, 2]");
        IOException e = assertThrows(IOException.class, () -> Manifest.read(file));
        assertTrue(e.getMessage().contains("is not a manifest"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> Manifest.read(tmp.resolve("absent.json")));
    }
}
