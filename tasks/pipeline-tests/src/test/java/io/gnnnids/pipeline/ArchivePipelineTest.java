package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.store.ColdStore;
import io.gnnnids.core.store.DayFile;
import io.gnnnids.core.store.HotArchive;
import io.gnnnids.core.store.HotBatches;
import io.gnnnids.core.store.HotPredictions;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import io.gnnnids.core.store.ParquetFlowWriter;
import io.gnnnids.core.testing.S3ServerExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive step on a hot store holding the honeypot capture's real flows, scored but for the last few: local and
 * S3 archives, a run that died half way, cold expiry, and bad options.
 */
class ArchivePipelineTest {

    @RegisterExtension
    static final S3ServerExtension s3 = new S3ServerExtension();

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Flows left without a prediction: they must stay in the hot store. */
    private static final int UNSCORED = 10;

    @TempDir
    Path tmp;

    /** Every flow stored, in file order. */
    List<String> uids;
    /** The scored flows that got an attack prediction. */
    long attacks;

    Path duckdb() {
        return tmp.resolve("hot.duckdb");
    }

    @BeforeEach
    void fillHotStore() throws Exception {
        Path sample = Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"))
                .resolve("CTU-Honeypot-Capture-5-1-labeled.csv");
        Path parquet = tmp.resolve("batch.parquet");
        uids = new ArrayList<>();
        try (FlowFileReader reader = FlowFileReader.open(sample, FlowFormat.AUTO);
                ParquetFlowWriter writer = new ParquetFlowWriter(parquet)) {
            while (reader.hasNext()) {
                FlowFileReader.Item item = reader.next();
                assertTrue(item.valid(), "line " + item.lineNumber() + ": " + item.error());
                writer.write(item.flow());
                uids.add(item.flow().uid());
            }
        }
        List<String> scored = uids.subList(0, uids.size() - UNSCORED);
        float[] scores = new float[scored.size()];
        attacks = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i % 4 == 0 ? 0.9f : 0.1f;
            if (i % 4 == 0) attacks++;
        }
        try (HotStore hot = HotStore.open(duckdb(), WAIT)) {
            assertEquals(uids.size(), HotBatches.insert(hot, "b1", parquet).inserted());
            assertEquals(scored.size(), HotPredictions.write(hot, scored, scores, 0.5, "3"));
        }
    }

    @Test
    void movesScoredFlowsPastRetentionToTheArchiveOnceAndKeepsTheRest() throws Exception {
        Path archive = tmp.resolve("archive");
        String[] args = {
            "--duckdb",
            duckdb().toString(),
            "--archive-uri",
            archive.toString(),
            "--retention",
            "0s",
            "--work-dir",
            tmp.resolve("work").toString()
        };
        StepRunner.Result r = StepRunner.inProcess("archive", args);
        assertEquals(0, r.exitCode(), r.toString());
        Manifest m = Manifest.read(r.manifest());
        long moved = uids.size() - UNSCORED;
        assertEquals(moved, m.count("archived"));
        assertEquals(UNSCORED, m.count("waiting_for_prediction"));
        assertEquals(UNSCORED, m.count("hot_rows_left"));
        assertTrue(m.count("objects") >= 1, m.toString());

        assertEquals(moved, PipelineFixture.coldCounts(archive)[1], "distinct uids in the archive");
        assertArchiveHoldsExactlyTheScoredFlows(archive);
        assertEquals(
                new HashSet<>(uids.subList((int) moved, uids.size())),
                hotUids(),
                "the flows without a prediction stay");

        StepRunner.Result again = StepRunner.inProcess("archive", args);
        assertEquals(99, again.exitCode(), again.toString());
        assertTrue(again.err().contains(UNSCORED + " older ones still wait for infer"), again.toString());
        assertArchiveHoldsExactlyTheScoredFlows(archive);
    }

    @Test
    void flowsStoredWithinTheRetentionStay() throws Exception {
        StepRunner.Result r = StepRunner.inProcess(
                "archive",
                "--duckdb",
                duckdb().toString(),
                "--archive-uri",
                tmp.resolve("archive").toString(),
                "--work-dir",
                tmp.resolve("work").toString());
        assertEquals(99, r.exitCode(), r.toString());
        assertTrue(r.err().contains("stored more than 1d ago"), r.toString());
        assertEquals(uids.size(), hotUids().size());
        try (ObjectStore store = ObjectStores.open(tmp.resolve("archive").toString())) {
            assertEquals(List.of(), store.list(""));
        }

        StepRunner.Result noHotStore = StepRunner.inProcess(
                "archive",
                "--duckdb",
                tmp.resolve("none.duckdb").toString(),
                "--archive-uri",
                tmp.resolve("archive").toString(),
                "--work-dir",
                tmp.resolve("work").toString());
        assertEquals(99, noHotStore.exitCode(), noHotStore.toString());
        assertTrue(noHotStore.err().contains("does not exist yet"), noHotStore.toString());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("none.duckdb")), "archive creates no hot store");
    }

    @Test
    void finishesARunThatDiedBeforeDeletingUnderItsOwnId() throws Exception {
        Path archive = tmp.resolve("archive");
        // The run died after marking the flows and storing the first day's object.
        try (HotStore hot = HotStore.open(duckdb(), WAIT);
                ObjectStore store = ObjectStores.open(archive.toString())) {
            HotArchive.mark(hot, "archive-died", Duration.ZERO);
            DayFile first =
                    HotArchive.export(hot, "archive-died", tmp.resolve("died")).get(0);
            new ColdStore(store).storeAsItIs("archive-died", first.file(), first.day(), first.rows());
        }
        StepRunner.Result r = StepRunner.inProcess(
                "archive",
                "--duckdb",
                duckdb().toString(),
                "--archive-uri",
                archive.toString(),
                "--retention",
                "0s",
                "--work-dir",
                tmp.resolve("work").toString());
        assertEquals(0, r.exitCode(), r.toString());
        Manifest m = Manifest.read(r.manifest());
        assertEquals(uids.size() - UNSCORED, m.count("archived"));
        assertEquals("archive-died", m.info().get("archive_ids"));
        try (ObjectStore store = ObjectStores.open(archive.toString())) {
            for (String key : store.list("date=")) assertTrue(key.endsWith("/archive-died.parquet"), key);
        }
        assertArchiveHoldsExactlyTheScoredFlows(archive);
        assertEquals(UNSCORED, hotUids().size());
    }

    @Test
    void archivesToS3AndExpiresOldColdDaysAsAJar() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String coldUri = s3.uri("cold");
        try (ObjectStore cold = s3.openStore("cold")) {
            ColdStore layout = new ColdStore(cold);
            for (LocalDate day : List.of(today.minusDays(40), today.minusDays(31), today.minusDays(29), today)) {
                layout.storeAsItIs("b1", tmp.resolve("batch.parquet"), day, uids.size());
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("NIDS_DUCKDB_PATH", duckdb().toString());
        env.put("NIDS_ARCHIVE_URI", s3.uri("archive"));
        env.put("NIDS_COLD_URI", coldUri);
        env.put("NIDS_WORK_DIR", tmp.resolve("work").toString());
        env.put("NIDS_HOT_RETENTION", "0s");
        env.put("NIDS_COLD_RETENTION", "30d");
        env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        env.put("AWS_REGION", "us-east-1");

        Path manifest = JarContractTest.lastLineManifest(StepRunner.javaJar("archive", env), "archive");
        Manifest m = Manifest.read(manifest);
        assertEquals(uids.size() - UNSCORED, m.count("archived"));
        assertEquals(2, m.count("cold_objects_expired"));
        assertEquals("30d", m.info().get("cold_retention"));
        try (ObjectStore cold = s3.openStore("cold")) {
            assertEquals(
                    List.of(ColdStore.key(today.minusDays(29), "b1"), ColdStore.key(today, "b1")), cold.list("date="));
        }
        Path local = tmp.resolve("archive-download");
        try (ObjectStore store = s3.openStore("archive")) {
            for (String key : store.list("")) store.get(key, local.resolve(key));
        }
        assertArchiveHoldsExactlyTheScoredFlows(local);
    }

    @Test
    void badOptionsAreUsageErrors() {
        String db = duckdb().toString();
        StepRunner.Result noArchive = StepRunner.inProcess("archive", "--duckdb", db);
        assertEquals(2, noArchive.exitCode(), noArchive.toString());
        assertTrue(
                noArchive.err().contains("--archive-uri") && noArchive.err().contains("NIDS_ARCHIVE_URI"),
                noArchive.toString());

        StepRunner.Result hours = StepRunner.inProcess(
                "archive",
                "--duckdb",
                db,
                "--archive-uri",
                tmp.resolve("a").toString(),
                "--cold-uri",
                tmp.resolve("c").toString(),
                "--cold-retention",
                "12h");
        assertEquals(2, hours.exitCode(), hours.toString());
        assertTrue(hours.err().contains("whole days"), hours.toString());

        StepRunner.Result noCold = StepRunner.inProcess(
                "archive", "--duckdb", db, "--archive-uri", tmp.resolve("a").toString(), "--cold-retention", "90d");
        assertEquals(2, noCold.exitCode(), noCold.toString());
        assertTrue(noCold.err().contains("NIDS_COLD_URI"), noCold.toString());

        StepRunner.Result emptyIsUnset = StepRunner.inProcess(
                "archive", "--duckdb", db, "--archive-uri", tmp.resolve("a").toString(), "--cold-retention", "");
        assertEquals(99, emptyIsUnset.exitCode(), "an empty cold retention keeps the cold store: " + emptyIsUnset);

        StepRunner.Result notADuration = StepRunner.inProcess(
                "archive", "--duckdb", db, "--archive-uri", tmp.resolve("a").toString(), "--retention", "a day");
        assertEquals(2, notADuration.exitCode(), notADuration.toString());
        assertEquals(1, notADuration.err().strip().lines().count(), notADuration.toString());
    }

    /** The archive holds each scored flow once, with its prediction and model version, and nothing else. */
    private void assertArchiveHoldsExactlyTheScoredFlows(Path archive) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT count(*), count(DISTINCT uid), count(prediction), sum(prediction), "
                                + "count(*) FILTER (model_version = '3'), count(*) FILTER (batch_id = 'b1') FROM "
                                + "read_parquet('"
                                + archive.toAbsolutePath() + "/date=*/*.parquet', hive_partitioning = false)")) {
            rs.next();
            long scored = uids.size() - UNSCORED;
            assertEquals(
                    List.of(scored, scored, scored, attacks, scored, scored),
                    List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
        }
        Set<String> archived = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT uid FROM read_parquet('" + archive.toAbsolutePath() + "/date=*/*.parquet')")) {
            while (rs.next()) archived.add(rs.getString(1));
        }
        assertEquals(new HashSet<>(uids.subList(0, uids.size() - UNSCORED)), archived);
    }

    private Set<String> hotUids() throws Exception {
        Set<String> hot = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT uid FROM flows")) {
            while (rs.next()) hot.add(rs.getString(1));
        }
        return hot;
    }
}
