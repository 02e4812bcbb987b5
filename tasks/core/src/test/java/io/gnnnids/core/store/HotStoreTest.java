package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
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

class HotStoreTest extends HotStoreFixture {

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
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 5, 1e9)));
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
                    + "orig_p INTEGER NOT NULL, resp_h VARCHAR NOT NULL, resp_p INTEGER NOT NULL, proto VARCHAR NOT "
                    + "NULL, "
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
            HotWriteResult r = HotBatches.insert(
                    hot, "b2", TestFlows.write(dir.resolve("b2.parquet"), TestFlows.flows("C", 3, 1e9)));
            assertEquals(List.of("C1"), r.duplicateUids());
            assertEquals(3, hot.count());
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

    private static List<String> columns(HotStore hot) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (Statement st = hot.connection().createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = 'flows'")) {
            while (rs.next()) cols.add(rs.getString(1));
        }
        return cols;
    }
}
