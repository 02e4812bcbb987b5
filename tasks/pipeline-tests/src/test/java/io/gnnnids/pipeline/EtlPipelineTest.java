package io.gnnnids.pipeline;

import io.gnnnids.core.batch.Manifest;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * replay -> consume-batch -> hot-write -> cold-write -> commit-offsets against a real Kafka broker, with DuckDB and
 * a local cold store in temp folders: exact counts, re-runs, and crashes between any two steps.
 */
class EtlPipelineTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    String topic;
    String group;
    Path work;
    Path duckdb;
    Path cold;

    @BeforeEach
    void names(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName() + "-" + Math.abs(info.getDisplayName().hashCode());
        topic = "conn-" + name;
        group = "etl-" + name;
        work = tmp.resolve("work");
        duckdb = tmp.resolve("hot.duckdb");
        cold = tmp.resolve("cold");
    }

    StepRunner.Result step(String step, String... args) {
        StepRunner.Result r = StepRunner.inProcess(step, args);
        assertTrue(r.exitCode() == 0 || r.exitCode() == 99, step + " failed: " + r);
        return r;
    }

    StepRunner.Result consume() {
        return step("consume-batch", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--group", group,
                "--work-dir", work.toString(), "--max-records", "2500", "--timeout", "30s");
    }

    StepRunner.Result hot(Path manifest) {
        return step("hot-write", "--manifest", manifest.toString(), "--duckdb", duckdb.toString());
    }

    StepRunner.Result cold(Path manifest) {
        return step("cold-write", "--manifest", manifest.toString(), "--cold-uri", cold.toString());
    }

    StepRunner.Result commit(Path manifest) {
        return step("commit-offsets", "--manifest", manifest.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--group", group);
    }

    /** Runs whole batches until consume-batch has nothing left; returns how many batches were committed. */
    int drain() {
        int batches = 0;
        while (true) {
            StepRunner.Result c = consume();
            if (c.exitCode() == 99) return batches;
            commit(cold(hot(c.manifest()).manifest()).manifest());
            batches++;
            assertTrue(batches < 100, "the topic never drained");
        }
    }

    void generate(int flows, long seed) {
        generate(flows, seed, 1);
    }

    void generate(int flows, long seed, int days) {
        step("replay", "generate", "--flows", String.valueOf(flows), "--seed", String.valueOf(seed), "--hosts", "60",
                "--days", String.valueOf(days), "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic,
                "--manifest-dir", tmp.toString());
    }

    @Test
    void storesEveryGeneratedFlowExactlyOnceAndQuarantinesMalformedRecords() throws Exception {
        generate(12_000, 3, 2); // two days: one batch crosses midnight and is split
        List<byte[]> bad = List.of(
                "not json at all".getBytes(StandardCharsets.UTF_8),
                new byte[]{'{', '"', 'u', (byte) 0xC3, (byte) 0x28, '"', '}'},
                "{\"ts\":1700000000.1,\"uid\":\"Cbad1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":70000,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}".getBytes(StandardCharsets.UTF_8),
                "{\"ts\":1700000000.1,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}".getBytes(StandardCharsets.UTF_8),
                "{\"ts\":1700000000.1,\"uid\":\"Cbad2\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\",\"orig_bytes\":-5}".getBytes(StandardCharsets.UTF_8),
                "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        PipelineFixture.sendRaw(kafka.bootstrapServers(), topic, bad);

        int batches = drain();

        assertTrue(batches >= 5, "12,006 records in batches of at most 2,500 take at least 5 batches, got " + batches);
        PipelineFixture.assertExactlyOnce(12_000, duckdb, cold);
        assertEquals(12_006, PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), topic, group)));

        Map<String, Long> reasons = new TreeMap<>();
        long quarantinedLines = 0;
        int split = 0;
        try (var dirs = Files.list(work.resolve("batches"))) {
            for (Path dir : dirs.toList()) {
                Manifest m = Manifest.read(dir.resolve("manifest.json"));
                // One cold object per UTC day; a batch of one day is stored as the staged file itself.
                List<Path> objects = m.batch().days().stream()
                        .map(day -> cold.resolve("date=" + day).resolve(m.batch().id() + ".parquet")).toList();
                assertTrue(objects.stream().allMatch(Files::exists), "objects " + objects);
                if (objects.size() == 1) {
                    assertEquals(-1L, Files.mismatch(dir.resolve("batch.parquet"), objects.get(0)), "stored as it is");
                } else {
                    split++;
                }
                m.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
                Path q = dir.resolve("quarantine.jsonl");
                if (Files.exists(q)) quarantinedLines += Files.readAllLines(q).size();
            }
        }
        assertEquals(6, quarantinedLines, "every malformed record is in a quarantine file");
        assertTrue(split >= 1, "a batch across midnight is split by day");
        assertEquals(6, reasons.values().stream().mapToLong(Long::longValue).sum(), "reasons " + reasons);
        assertEquals(Map.of("bad_type", 1L, "invalid_utf8", 1L, "missing_field", 1L, "negative_count", 1L,
                "not_json", 2L, "port_out_of_range", 1L).keySet().containsAll(reasons.keySet()), true, "reasons " + reasons);

        assertEquals(99, consume().exitCode(), "nothing new after draining");
    }

    @Test
    void rerunningEveryStepChangesNothing() throws Exception {
        generate(3_000, 4);
        Path consumed = consume().manifest();
        Path hot1 = hot(consumed).manifest();
        Path hot2 = hot(consumed).manifest();
        assertEquals(Manifest.read(hot1).counts(), Manifest.read(hot2).counts());
        Path cold1 = cold(hot2).manifest();
        cold(hot2);
        commit(cold1);
        commit(cold1);
        drain();
        PipelineFixture.assertExactlyOnce(3_000, duckdb, cold);
        assertEquals(3_000, PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), topic, group)));
    }

    @ParameterizedTest(name = "crash after {0}")
    @ValueSource(strings = {"consume-batch", "hot-write", "cold-write"})
    void crashBetweenStepsLosesNothingAndDuplicatesNothing(String crashAfter) throws Exception {
        generate(4_000, 5);
        Path m = consume().manifest();
        if (!crashAfter.equals("consume-batch")) m = hot(m).manifest();
        if (crashAfter.equals("cold-write")) cold(m);
        // The run died here. More traffic arrives before the ETL runs again.
        generate(1_500, 6);

        drain();

        PipelineFixture.assertExactlyOnce(5_500, duckdb, cold);
        assertEquals(5_500, PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), topic, group)));
    }

    @Test
    void committedBatchesLoseTheirStagedParquetAfterTheKeepTimeButKeepTheirRecord() throws Exception {
        generate(1_000, 8);
        drain();
        Path batchDir;
        try (var dirs = Files.list(work.resolve("batches"))) {
            batchDir = dirs.findFirst().orElseThrow();
        }
        assertTrue(Files.exists(batchDir.resolve("batch.parquet")));
        generate(10, 9);
        step("consume-batch", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--group", group,
                "--work-dir", work.toString(), "--keep-staged", "0s");
        assertTrue(Files.notExists(batchDir.resolve("batch.parquet")), "staged Parquet of a committed batch pruned");
        assertTrue(Files.exists(batchDir.resolve("manifest.json")) && Files.exists(batchDir.resolve("commit-offsets.json")));
    }

    @Test
    void theSameFlowsSentTwiceAreStoredOnce() throws Exception {
        Path file = tmp.resolve("traffic.jsonl");
        step("replay", "generate", "--flows", "2000", "--seed", "7", "--out", file.toString(), "--manifest-dir", tmp.toString());
        for (int i = 0; i < 2; i++) {
            step("replay", "file", file.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic,
                    "--manifest-dir", tmp.toString());
        }
        drain();
        PipelineFixture.assertExactlyOnce(2_000, duckdb, cold);
        assertEquals(4_000, PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), topic, group)));
    }

    @Test
    void realIot23RecordsFlowThroughEveryStep() throws Exception {
        Path shared = Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"));
        List<String> files = new ArrayList<>();
        try (var list = Files.list(shared)) {
            list.filter(p -> p.toString().endsWith(".csv")).sorted().forEach(p -> files.add(p.toString()));
        }
        List<String> args = new ArrayList<>(List.of("file"));
        args.addAll(files);
        args.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--manifest-dir", tmp.toString()));
        step("replay", args.toArray(String[]::new));

        drain();

        PipelineFixture.assertExactlyOnce(10_403 + 1_374, duckdb, cold);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + duckdb);
             var rs = c.createStatement().executeQuery(
                     "SELECT count(*) FILTER (label = 'malicious'), count(*) FILTER (label = 'benign') FROM flows")) {
            rs.next();
            assertEquals(8_222, rs.getLong(1));
            assertEquals(2_181 + 1_374, rs.getLong(2));
        }
    }
}
