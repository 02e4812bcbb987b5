package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.kafka.FlowProducer;
import io.gnnnids.core.kafka.PartitionGroup;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        String name = info.getTestMethod().orElseThrow().getName() + "-"
                + Math.abs(info.getDisplayName().hashCode());
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

    /** consume-batch's arguments for this test's broker, topic, group and work dir, then {@code more}. */
    String[] consumeArgs(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--group",
                group,
                "--work-dir",
                work.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    StepRunner.Result consume() {
        return step("consume-batch", consumeArgs("--max-records", "2500", "--timeout", "30s"));
    }

    StepRunner.Result hot(Path manifest) {
        return step("hot-write", "--manifest", manifest.toString(), "--duckdb", duckdb.toString());
    }

    StepRunner.Result cold(Path manifest) {
        return step("cold-write", "--manifest", manifest.toString(), "--cold-uri", cold.toString());
    }

    StepRunner.Result commit(Path manifest) {
        return step(
                "commit-offsets",
                "--manifest",
                manifest.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--group",
                group);
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
        step(
                "replay",
                "generate",
                "--flows",
                String.valueOf(flows),
                "--seed",
                String.valueOf(seed),
                "--hosts",
                "60",
                "--days",
                String.valueOf(days),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--manifest-dir",
                tmp.toString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void storesEveryGeneratedFlowExactlyOnceAndQuarantinesMalformedRecords() throws Exception {
        generate(12_000, 3, 2); // two days: one batch crosses midnight and is split
        List<byte[]> bad = List.of(
                "not json at all".getBytes(StandardCharsets.UTF_8),
                new byte[] {'{', '"', 'u', (byte) 0xC3, (byte) 0x28, '"', '}'},
                bytes("{\"ts\":1700000000.1,\"uid\":\"Cbad1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":70000,"
                        + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}"),
                bytes("{\"ts\":1700000000.1,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\","
                        + "\"id.resp_p\":80,\"proto\":\"tcp\"}"),
                bytes("{\"ts\":1700000000.1,\"uid\":\"Cbad2\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,"
                        + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\",\"orig_bytes\":-5}"),
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
                        .map(day ->
                                cold.resolve("date=" + day).resolve(m.batch().id() + ".parquet"))
                        .toList();
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
        assertEquals(
                Map.of(
                                "bad_type",
                                1L,
                                "invalid_utf8",
                                1L,
                                "missing_field",
                                1L,
                                "negative_count",
                                1L,
                                "not_json",
                                2L,
                                "port_out_of_range",
                                1L)
                        .keySet()
                        .containsAll(reasons.keySet()),
                true,
                "reasons " + reasons);

        assertEquals(99, consume().exitCode(), "nothing new after draining");
    }

    /** One partition group's ETL through the jars until it drains: the consume-batch runs' [start, end] in ns. */
    private List<long[]> drainGroupThroughTheJars(String partitionGroup) throws Exception {
        List<long[]> consumed = new ArrayList<>();
        Map<String, String> env = Map.of();
        while (true) {
            long start = System.nanoTime();
            StepRunner.Result c = StepRunner.javaJar(
                    "consume-batch", env, consumeArgs("--partition-group", partitionGroup, "--max-records", "2000"));
            consumed.add(new long[] {start, System.nanoTime()});
            if (c.exitCode() == 99) return consumed;
            assertEquals(0, c.exitCode(), c.toString());
            PartitionGroup mine = PartitionGroup.parse(partitionGroup);
            assertTrue(
                    Manifest.read(c.manifest()).batch().offsets().stream().allMatch(r -> mine.contains(r.partition())),
                    "group " + partitionGroup + " staged another group's partition");
            // Both groups' hot writes may come at once: the second waits for DuckDB's lock (the DAG's pool spares it).
            StepRunner.Result h = StepRunner.javaJar(
                    "hot-write", env, "--manifest", c.manifest().toString(), "--duckdb", duckdb.toString());
            assertEquals(0, h.exitCode(), h.toString());
            StepRunner.Result w = StepRunner.javaJar(
                    "cold-write", env, "--manifest", h.manifest().toString(), "--cold-uri", cold.toString());
            assertEquals(0, w.exitCode(), w.toString());
            StepRunner.Result o = StepRunner.javaJar(
                    "commit-offsets",
                    env,
                    "--manifest",
                    w.manifest().toString(),
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--group",
                    group);
            assertEquals(0, o.exitCode(), o.toString());
            assertTrue(consumed.size() < 20, "group " + partitionGroup + " never drained");
        }
    }

    @Test
    void partitionGroupsRunSideBySideThroughTheJarsAndStoreEveryFlowOnce() throws Exception {
        generate(9_000, 8); // replay creates the topic with 3 partitions: group 0/2 reads 0 and 2, group 1/2 reads 1

        ExecutorService lanes = Executors.newFixedThreadPool(2);
        List<long[]> even;
        List<long[]> odd;
        try {
            Future<List<long[]>> first = lanes.submit(() -> drainGroupThroughTheJars("0/2"));
            Future<List<long[]>> second = lanes.submit(() -> drainGroupThroughTheJars("1/2"));
            even = first.get(10, TimeUnit.MINUTES);
            odd = second.get(10, TimeUnit.MINUTES);
        } finally {
            lanes.shutdownNow();
        }

        // Each group staged batches of its own (and a last run with nothing new), and they read Kafka at once.
        assertTrue(even.size() >= 2 && odd.size() >= 2, even.size() + " and " + odd.size() + " runs");
        assertTrue(
                even.get(0)[0] < odd.get(0)[1] && odd.get(0)[0] < even.get(0)[1],
                "the groups' first consume-batch runs did not overlap");
        PipelineFixture.assertExactlyOnce(9_000, duckdb, cold);
        Map<Integer, Long> committed = PipelineFixture.committed(kafka.bootstrapServers(), topic, group);
        assertEquals(Set.of(0, 1, 2), committed.keySet());
        assertEquals(9_000, PipelineFixture.sum(committed));
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
        step(
                "consume-batch",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--group",
                group,
                "--work-dir",
                work.toString(),
                "--keep-staged",
                "0s");
        assertTrue(Files.notExists(batchDir.resolve("batch.parquet")), "staged Parquet of a committed batch pruned");
        assertTrue(Files.exists(batchDir.resolve("manifest.json"))
                && Files.exists(batchDir.resolve("commit-offsets.json")));
    }

    @Test
    void theSameFlowsSentTwiceAreStoredOnce() throws Exception {
        Path file = tmp.resolve("traffic.jsonl");
        step(
                "replay",
                "generate",
                "--flows",
                "2000",
                "--seed",
                "7",
                "--out",
                file.toString(),
                "--manifest-dir",
                tmp.toString());
        for (int i = 0; i < 2; i++) {
            step(
                    "replay",
                    "file",
                    file.toString(),
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--topic",
                    topic,
                    "--manifest-dir",
                    tmp.toString());
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
        args.addAll(List.of(
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--manifest-dir", tmp.toString()));
        step("replay", args.toArray(String[]::new));

        drain();

        PipelineFixture.assertExactlyOnce(10_403 + 1_374, duckdb, cold);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                var rs = c.createStatement()
                        .executeQuery(
                                "SELECT count(*) FILTER (label = 'malicious'), count(*) FILTER (label = 'benign') "
                                        + "FROM flows")) {
            rs.next();
            assertEquals(8_222, rs.getLong(1));
            assertEquals(2_181 + 1_374, rs.getLong(2));
        }
    }

    /** A conn record as Zeek writes it with JSON::TS_ISO8601; the uid and the id key prefix vary. */
    static String isoRecord(String uid, String idPrefix) {
        return "{\"ts\":\"2026-11-30T10:00:00.123456Z\",\"uid\":\"" + uid + "\",\""
                + idPrefix + "orig_h\":\"192.168.1.23\",\"" + idPrefix + "orig_p\":52814,\"" + idPrefix
                + "resp_h\":\"93.184.216.34\",\"" + idPrefix
                + "resp_p\":443,\"proto\":\"tcp\",\"service\":\"ssl\",\"duration\":1.204981,\"orig_bytes\":1342,"
                + "\"resp_bytes\":6217,\"conn_state\":\"SF\",\"missed_bytes\":0,\"history\":\"ShADadFf\","
                + "\"orig_pkts\":14,\"orig_ip_bytes\":2090,\"resp_pkts\":12,\"resp_ip_bytes\":6849}";
    }

    @Test
    void consumeBatchReadsZeekAsDeployedAndStillQuarantinesWhatIsMalformed() throws Exception {
        List<String> messages = List.of(
                isoRecord("CIso1", "id."),
                "{\"conn\": " + isoRecord("CTagged1", "id.") + ",\"sensor\": \"edge-1\"}", // zeek-kafka tag_json
                isoRecord("CScoped1", "id_"), // Log::default_scope_sep = "_"
                isoRecord("CMillis1", "id.").replace("\"2026-11-30T10:00:00.123456Z\"", "1796032800123"),
                "{\"_path\":\"conn\",\"_system_name\":\"sensor-1\",\"_write_ts\":\"2026-11-30T10:00:01.000000Z\","
                        + isoRecord("CExtras1", "id.")
                                .substring(1, isoRecord("CExtras1", "id.").length() - 1)
                        + ",\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\",\"vlan\":20,\"ip_proto\":6}",
                isoRecord("CNested1", "id.")
                        .replace(
                                "\"id.orig_h\":\"192.168.1.23\",\"id.orig_p\":52814,"
                                        + "\"id.resp_h\":\"93.184.216.34\",\"id.resp_p\":443",
                                "\"id\":{\"orig_h\":\"192.168.1.23\","
                                        + "\"orig_p\":52814,\"resp_h\":\"93.184.216.34\",\"resp_p\":443}"),
                "{\"dns\": " + isoRecord("CDns1", "id.") + "}",
                isoRecord("CBadIso", "id.").replace("10:00:00.123456Z", "10:00:00.123456"));
        FlowProducer.ensureTopic(kafka.bootstrapServers(), topic, 3); // as zeek-kafka's deployment has it
        PipelineFixture.sendRaw(
                kafka.bootstrapServers(),
                topic,
                messages.stream().map(m -> m.getBytes(StandardCharsets.UTF_8)).toList());

        drain();

        PipelineFixture.assertExactlyOnce(6, duckdb, cold);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                var rs = c.createStatement().executeQuery("SELECT uid, ts, orig_h, resp_p FROM flows ORDER BY uid")) {
            while (rs.next()) {
                double expected = rs.getString(1).equals("CMillis1") ? 1796032800.123 : 1796032800.123456;
                assertEquals(expected, rs.getDouble(2), rs.getString(1));
                assertEquals("192.168.1.23", rs.getString(3));
                assertEquals(443, rs.getInt(4));
            }
        }
        Map<String, Long> reasons = new TreeMap<>();
        try (var dirs = Files.list(work.resolve("batches"))) {
            for (Path dir : dirs.toList()) {
                Manifest.read(dir.resolve("manifest.json")).reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
            }
        }
        assertEquals(Map.of("not_conn", 1L, "bad_type", 1L), reasons);
    }

    @Test
    void replayFileGoesOnAfterAFileItCannotReadAndNamesItAtTheEnd() throws Exception {
        // Zeek TSV with Log::default_scope_sep = "_", and JSON lines from a sensor with ISO 8601 and tagged records
        Path tsv = tmp.resolve("conn.log");
        Files.writeString(
                tsv,
                "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
                        + "#path\tconn\n#open\t2026-11-30-10-00-00\n"
                        + "#fields\tts\tuid\tid_orig_h\tid_orig_p\tid_resp_h\tid_resp_p\tproto\tservice\tduration"
                        + "\torig_bytes"
                        + "\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts"
                        + "\torig_ip_bytes"
                        + "\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
                        + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring"
                        + "\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n"
                        + "1796032800.123456\tCTsv1\t192.168.1.23\t52814\t93.184.216.34\t443\ttcp\tssl\t1.204981\t1342"
                        + "\t6217"
                        + "\tSF\tT\tF\t0\tShADadFf\t14\t2090\t12\t6849\t(empty)\n"
                        + "1796032801.5\tCTsv2\t192.168.1.23\t52815\t93.184.216.34\t53\tudp\tdns\t0.01\t40\t120"
                        + "\tSF\tT\tF\t0\tDd\t1\t68\t1\t148\t(empty)\n"
                        + "1796032802.5\tCTsvBad\t192.168.1.23\t70000\t93.184.216.34\t53\tudp\t-\t-\t-\t-"
                        + "\tS0\t-\t-\t0\tD\t1\t68\t0\t0\t(empty)\n"
                        + "#close\t2026-11-30-11-00-00\n");
        Path json = tmp.resolve("sensor.json");
        Files.writeString(json, isoRecord("CJson1", "id.") + "\n{\"conn\": " + isoRecord("CJson2", "id_") + "}\n");
        Path missing = tmp.resolve("missing.log");
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "these are not flows\n");

        StepRunner.Result r = StepRunner.inProcess(
                "replay",
                "file",
                tsv.toString(),
                missing.toString(),
                notes.toString(),
                json.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--manifest-dir",
                tmp.toString());

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(
                r.err()
                        .contains("2 of 4 files could not be read: " + missing + ", " + notes
                                + "; the flows of the others were sent"),
                r.err());
        Path manifest;
        try (var files = Files.list(tmp.resolve("replay"))) {
            manifest = files.filter(f -> f.getFileName().toString().startsWith("replay-file-"))
                    .findFirst()
                    .orElseThrow();
        }
        Manifest m = Manifest.read(manifest);
        assertEquals(4, m.count("flows"));
        assertEquals(1, m.count("rejected"));
        assertEquals(Map.of("port_out_of_range", 1L), m.reasons());
        assertEquals(4, m.count("files"));
        assertEquals(2, m.count("files_failed"));
        assertTrue(
                m.outputs().containsKey("input:conn.log") && m.outputs().containsKey("input:sensor.json"),
                m.outputs().toString());
        assertFalse(m.outputs().containsKey("input:missing.log"), m.outputs().toString());
        assertTrue(
                m.info().get("failed:missing.log").startsWith(missing + ": no such file"),
                m.info().toString());
        assertTrue(
                m.info().get("failed:notes.txt").startsWith(notes + ": cannot recognise the format of line 1"),
                m.info().toString());

        drain();
        PipelineFixture.assertExactlyOnce(4, duckdb, cold);
    }
}
