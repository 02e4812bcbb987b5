package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("hot/nids.duckdb");
    }

    @Test
    void createsFlowsTableWithEveryFlowColumnAndPredictionColumns() throws Exception {
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            List<String> columns = columns(hot);
            for (FlowColumn c : FlowColumn.ALL) assertTrue(columns.contains(c.column), c.column);
            for (String c :
                    List.of("batch_id", "ingested_at", "prediction", "score", "model_version", "predicted_at")) {
                assertTrue(columns.contains(c), c);
            }
            assertEquals(HotStore.SCHEMA_VERSION, hot.schemaVersion());
            assertEquals(0, hot.count());
        }
    }

    @Test
    void reopeningMigratesAnOlderTableWithoutLosingRows() throws Exception {
        try (HotStore hot = HotStore.open(db(), WAIT);
                Statement st = hot.connection().createStatement()) {
            hot.insertBatch("b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 5, 1e9)));
            // An older file: before predictions existed.
            st.execute("ALTER TABLE flows DROP COLUMN predicted_at");
            st.execute("ALTER TABLE flows DROP COLUMN model_version");
            st.execute("DELETE FROM schema_version");
            st.execute("INSERT INTO schema_version VALUES (1, now())");
        }
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            assertTrue(columns(hot).containsAll(List.of("model_version", "predicted_at")));
            assertEquals(5, hot.count());
            assertEquals(HotStore.SCHEMA_VERSION, hot.schemaVersion());
        }
        try (HotStore hot = HotStore.openReadOnly(db(), WAIT)) {
            assertEquals(5, hot.count());
        }
    }

    @Test
    void reopeningAVersionOneFileDropsItsPrimaryKeyAndKeepsRowsAndUniqueness() throws Exception {
        Path file = db();
        java.nio.file.Files.createDirectories(file.getParent());
        // A version 1 file: uid was the primary key, and some columns came later.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE flows (ts DOUBLE NOT NULL, uid VARCHAR PRIMARY KEY, orig_h VARCHAR NOT NULL, "
                    + "orig_p INTEGER NOT NULL, resp_h VARCHAR NOT NULL, resp_p INTEGER NOT NULL, proto VARCHAR NOT NULL, "
                    + "label VARCHAR, batch_id VARCHAR, prediction TINYINT)");
            st.execute(
                    "INSERT INTO flows VALUES (1e9, 'C1', '10.0.0.1', 1, '10.0.0.2', 80, 'tcp', 'benign', 'old', 1)");
            st.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)");
            st.execute("INSERT INTO schema_version VALUES (1, now())");
        }
        try (HotStore hot = HotStore.open(file, WAIT);
                Statement st = hot.connection().createStatement()) {
            assertEquals(HotStore.SCHEMA_VERSION, hot.schemaVersion());
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_constraints() "
                    + "WHERE table_name = 'flows' AND constraint_type = 'PRIMARY KEY'")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT batch_id, prediction, label FROM flows WHERE uid = 'C1'")) {
                rs.next();
                assertEquals("old", rs.getString(1));
                assertEquals(1, rs.getInt(2));
                assertEquals("benign", rs.getString(3));
            }
            assertTrue(columns(hot).containsAll(List.of("service", "history", "predicted_at")));
            // C1 is stored already: a batch carrying it again stores only its other flows.
            HotWriteResult r =
                    hot.insertBatch("b2", TestFlows.write(dir.resolve("b2.parquet"), TestFlows.flows("C", 3, 1e9)));
            assertEquals(List.of("C1"), r.duplicateUids());
            assertEquals(3, hot.count());
        }
    }

    @Test
    void insertsBatchWithPredictionsUnsetAndFlowValuesIntact() throws Exception {
        List<Flow> flows = TestFlows.flows("C", 20, 1_700_000_000.5);
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            HotWriteResult r = hot.insertBatch("b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            assertEquals(new HotWriteResult(20, 20, 0, List.of()), r);
            try (Statement st = hot.connection().createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM flows WHERE uid = 'C4'")) {
                rs.next();
                Flow c4 = flows.get(4);
                for (FlowColumn c : FlowColumn.ALL) assertEquals(c.get(c4), rs.getObject(c.column), c.column);
                assertEquals("b1", rs.getString("batch_id"));
                assertTrue(rs.getTimestamp("ingested_at") != null);
                assertNull(rs.getObject("prediction"));
                assertNull(rs.getObject("predicted_at"));
            }
        }
    }

    @Test
    void rerunningTheSameBatchAddsNothingAndReportsTheSameCounts() throws Exception {
        Path file = TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 50, 1e9));
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            HotWriteResult first = hot.insertBatch("b1", file);
            HotWriteResult again = hot.insertBatch("b1", file);
            assertEquals(first, again);
            assertEquals(new HotWriteResult(50, 50, 0, List.of()), again);
            assertEquals(50, hot.count());
        }
    }

    @Test
    void reportsUidsAlreadyStoredByAnotherBatch() throws Exception {
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            hot.insertBatch("b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 10, 1e9)));
            List<Flow> second = new ArrayList<>(TestFlows.flows("D", 5, 2e9));
            second.add(TestFlows.flow("C3", 3e9, 3));
            second.add(TestFlows.flow("C7", 3e9, 7));
            HotWriteResult r = hot.insertBatch("b2", TestFlows.write(dir.resolve("b2.parquet"), second));
            assertEquals(new HotWriteResult(7, 5, 2, List.of("C3", "C7")), r);
            assertEquals(15, hot.count());
            assertEquals(1e9 + 3, ts(hot, "C3"), "the stored row is the first one seen");
        }
    }

    @Test
    void keepsTheFirstRowOfAUidRepeatedInsideTheFile() throws Exception {
        List<Flow> flows = new ArrayList<>(TestFlows.flows("C", 4, 1e9));
        flows.add(TestFlows.flow("C1", 5e9, 1));
        flows.add(TestFlows.flow("C1", 6e9, 1));
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            Path file = TestFlows.write(dir.resolve("b1.parquet"), flows);
            HotWriteResult r = hot.insertBatch("b1", file);
            assertEquals(new HotWriteResult(6, 4, 2, List.of()), r);
            assertEquals(1e9 + 1, ts(hot, "C1"));
            assertEquals(r, hot.insertBatch("b1", file));
        }
    }

    @Test
    void failedInsertLeavesTableUnchanged() throws Exception {
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            hot.insertBatch("b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 3, 1e9)));
            StepFailure e =
                    assertThrows(StepFailure.class, () -> hot.insertBatch("b2", dir.resolve("missing.parquet")));
            assertTrue(e.getMessage().contains("b2"), e.getMessage());
            assertEquals(3, hot.count());
            assertEquals(
                    new HotWriteResult(2, 2, 0, List.of()),
                    hot.insertBatch("b3", TestFlows.write(dir.resolve("b3.parquet"), TestFlows.flows("E", 2, 1e9))));
        }
    }

    @Test
    void archiveMarksOnlyFlowsPastRetentionThatHaveAPrediction() throws Exception {
        try (HotStore hot = HotStore.open(db(), WAIT);
                Statement st = hot.connection().createStatement()) {
            hot.insertBatch("b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 6, 1e9)));
            predict(hot, "C0", "C1", "C2", "C3");
            st.execute("UPDATE flows SET ingested_at = ingested_at - INTERVAL 2 DAY WHERE uid IN ('C0', 'C1', 'C4')");

            assertTrue(hot.pendingArchive().isEmpty());
            assertEquals(2, hot.markForArchive("a1", Duration.ofHours(24)), "C0 and C1; C4 still waits for infer");
            assertEquals(1, hot.unpredictedOlderThan(Duration.ofHours(24)));
            assertEquals(java.util.Optional.of("a1"), hot.pendingArchive());
            assertEquals(0, hot.markForArchive("a2", Duration.ofHours(24)), "marked flows belong to their run");
            assertEquals(2, hot.markForArchive("a2", Duration.ZERO), "C2 and C3, just stored");
        }
    }

    @Test
    void archiveExportsMarkedFlowsByDayWithPredictionsThenDeletesExactlyThem() throws Exception {
        List<Flow> flows = TestFlows.flows("C", 5, ColdStoreContract.BEFORE_MIDNIGHT);
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            hot.insertBatch("b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            predict(hot, "C0", "C1", "C2", "C3", "C4");
            assertEquals(5, hot.markForArchive("a1", Duration.ZERO));

            List<DayFile> files = hot.exportArchive("a1", dir.resolve("export"));
            assertEquals(
                    List.of(java.time.LocalDate.of(2024, 5, 1), java.time.LocalDate.of(2024, 5, 2)),
                    files.stream().map(DayFile::day).toList());
            assertEquals(List.of(2L, 3L), files.stream().map(DayFile::rows).toList());
            try (java.sql.Connection db = DuckDb.inMemory();
                    Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM read_parquet("
                            + DuckDb.literal(files.get(1).file()) + ") ORDER BY ts")) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++)
                    cols.add(rs.getMetaData().getColumnName(i));
                assertTrue(
                        cols.containsAll(List.of(
                                "batch_id", "ingested_at", "prediction", "score", "model_version", "predicted_at")),
                        cols.toString());
                assertTrue(!cols.contains("archive_id"), cols.toString());
                for (Flow f : flows.subList(2, 5)) {
                    rs.next();
                    for (FlowColumn c : FlowColumn.ALL) assertEquals(c.get(f), rs.getObject(c.column), c.column);
                    assertEquals("b1", rs.getString("batch_id"));
                    assertEquals("7", rs.getString("model_version"));
                    assertEquals(0.75, rs.getDouble("score"), 1e-6);
                    assertEquals(1, rs.getInt("prediction"));
                }
            }

            StepFailure e = assertThrows(StepFailure.class, () -> hot.deleteArchived("a1", 4));
            assertTrue(e.getMessage().contains("nothing was deleted"), e.getMessage());
            assertEquals(5, hot.count());
            assertEquals(5, hot.deleteArchived("a1", 5));
            assertEquals(0, hot.count());
            assertTrue(hot.pendingArchive().isEmpty());
        }
    }

    @Test
    void readOnlyOpenOfMissingFileSaysSo() {
        StepFailure e = assertThrows(StepFailure.class, () -> HotStore.openReadOnly(db(), WAIT));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void waitsForAnotherProcessToReleaseTheLock() throws Exception {
        HotStore.open(db(), WAIT).close();
        Process holder = holdLock(3);
        try {
            long t0 = System.nanoTime();
            try (HotStore hot = HotStore.open(db(), Duration.ofSeconds(60))) {
                assertEquals(0, hot.count());
            }
            assertTrue(System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(1), "open waited for the other process");
        } finally {
            stop(holder);
        }
    }

    @Test
    void failsWithClearMessageWhenTheLockIsHeldTooLong() throws Exception {
        HotStore.open(db(), WAIT).close();
        Process holder = holdLock(60);
        try {
            StepFailure e = assertThrows(StepFailure.class, () -> HotStore.open(db(), Duration.ofSeconds(1)));
            assertTrue(
                    e.getMessage().contains("is locked by another process (pid " + holder.pid() + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("Airflow pool 'duckdb'"), e.getMessage());
            StepFailure ro = assertThrows(StepFailure.class, () -> HotStore.openReadOnly(db(), Duration.ofMillis(300)));
            assertTrue(ro.getMessage().contains("locked by another process"), ro.getMessage());
        } finally {
            stop(holder);
        }
    }

    /** Starts a JVM that opens the database read-write and holds it; returns once it has the lock. */
    private Process holdLock(int seconds) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldDuckDbLock.class.getName(),
                        db().toString(),
                        String.valueOf(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals(HoldDuckDbLock.READY, line, "lock holder did not start");
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    /** Scores the flows 0.75 (an attack) with model version 7. */
    private static void predict(HotStore hot, String... uids) {
        float[] scores = new float[uids.length];
        java.util.Arrays.fill(scores, 0.75f);
        assertEquals(uids.length, hot.writePredictions(List.of(uids), scores, 0.5, "7"));
    }

    @Test
    void contextIsReadInTsAndUidOrderFromARank() throws Exception {
        List<Flow> flows = new ArrayList<>(TestFlows.flows("A", 5, 1000));
        // Two flows at the same second as A2: (ts, uid) order puts A2 between them.
        flows.add(TestFlows.flow("A1x", 1002, 7));
        flows.add(TestFlows.flow("A3x", 1002, 9));
        try (HotStore hot = HotStore.open(db(), WAIT)) {
            hot.insertBatch("b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            assertEquals(
                    List.of("A0", "A1", "A1x", "A2", "A3x", "A3", "A4"),
                    hot.between(1000, 1005, 0).stream().map(Flow::uid).toList());
            assertEquals(
                    List.of("A2", "A3x", "A3"),
                    hot.between(1000, 1004, 3).stream().map(Flow::uid).toList());
            assertEquals(3, hot.rank(1000, TestFlows.flow("A2", 1002, 2)));
            assertEquals(2, hot.rank(1001, TestFlows.flow("A2", 1002, 2)));
            assertEquals(0, hot.rank(1000, TestFlows.flow("A0", 1000, 0)));
        }
    }

    private static List<String> columns(HotStore hot) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (Statement st = hot.connection().createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = 'flows'")) {
            while (rs.next()) cols.add(rs.getString(1));
        }
        return cols;
    }

    private static double ts(HotStore hot, String uid) throws SQLException {
        try (Statement st = hot.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT ts FROM flows WHERE uid = '" + uid + "'")) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
