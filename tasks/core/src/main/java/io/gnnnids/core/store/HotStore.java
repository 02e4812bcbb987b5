package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.FlowColumn;
import io.gnnnids.core.util.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot store: table {@code flows} in one DuckDB file, keyed by uid, holding every flow field plus the batch
 * that stored it and, once inferred, its prediction. Opening creates or migrates the schema.
 *
 * <p>DuckDB lets only one process open the file while it writes, so {@link #open} waits for the lock with backoff
 * for a bounded time; the DAGs additionally serialise all tasks that open the file through one Airflow pool.
 *
 * <p>What the steps do with the rows lives in this package's siblings, which use the connection through
 * {@link #connection()} and {@link #inTransaction}: {@link HotBatches} (hot-write), {@link HotPredictions} (infer),
 * {@link IncidentTable} (infer, monitor), {@link HotArchive} (archive) and {@link HotStats} (monitor).
 */
public final class HotStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HotStore.class);

    /**
     * Bump when the table changes; {@link #migrate} brings older files up to date. Version 2 dropped the primary key
     * on uid (uniqueness is enforced by {@link HotBatches#insert}); version 3 added {@code archive_id}; version 4 the
     * incident tables ({@link IncidentTable}); version 5 {@code predicted_family} and {@code explanation}; version 6
     * {@code incident_traits}.
     */
    public static final int SCHEMA_VERSION = 6;

    public static final String TABLE = "flows";
    /** The archive run that is moving the row out of the hot store ({@link HotArchive}). */
    static final String ARCHIVE_ID = "archive_id";

    /** Columns after the flow fields, with their types; NULL until the step that owns them fills them. */
    static final Map<String, String> EXTRA_COLUMNS = extraColumns();

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Pattern LOCK_HOLDER = Pattern.compile("PID (\\d+)");

    private final Path file;
    private final Connection connection;

    private HotStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    private static Map<String, String> extraColumns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("batch_id", "VARCHAR");
        m.put("ingested_at", "TIMESTAMP");
        m.put("prediction", "TINYINT");
        m.put("score", "DOUBLE");
        m.put("model_version", "VARCHAR");
        m.put("predicted_at", "TIMESTAMP");
        // For flagged flows: the family head's guess, and why the flow was flagged (JSON, see model.Explanation).
        m.put("predicted_family", "VARCHAR");
        m.put("explanation", "VARCHAR");
        m.put(ARCHIVE_ID, "VARCHAR");
        return m;
    }

    /** Opens (creating if needed) the file read-write and brings its schema up to date. */
    public static HotStore open(Path dbFile, Duration lockWait) {
        Path file = dbFile.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new StepFailure("cannot create the folder of DuckDB file " + file + ": " + e.getMessage(), e);
        }
        HotStore store = new HotStore(file, connectWaitingForLock(file, false, lockWait));
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Opens an existing file read-only; several readers may share it, but not with a writer. */
    public static HotStore openReadOnly(Path dbFile, Duration lockWait) {
        Path file = dbFile.toAbsolutePath();
        if (!Files.exists(file)) {
            throw new StepFailure("DuckDB file " + file
                    + " does not exist; run hot-write first or check --duckdb / NIDS_DUCKDB_PATH");
        }
        return new HotStore(file, connectWaitingForLock(file, true, lockWait));
    }

    private static Connection connectWaitingForLock(Path file, boolean readOnly, Duration lockWait) {
        long deadline = System.nanoTime() + lockWait.toNanos();
        Duration backoff = FIRST_BACKOFF;
        boolean logged = false;
        while (true) {
            try {
                return DuckDb.open(file, readOnly);
            } catch (SQLException e) {
                if (!isLockConflict(e)) {
                    throw new StepFailure("cannot open DuckDB file " + file + ": " + e.getMessage(), e);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StepFailure(lockedMessage(file, e.getMessage(), lockWait), e);
                }
                if (!logged) {
                    log.info(
                            "DuckDB file {} is locked by another process; waiting up to {}",
                            file,
                            Durations.text(lockWait));
                    logged = true;
                }
                sleep(Math.min(backoff.toNanos(), left));
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    static boolean isLockConflict(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("Could not set lock on file") || msg.contains("Conflicting lock");
    }

    private static String lockedMessage(Path file, String duckDbMessage, Duration lockWait) {
        Matcher m = LOCK_HOLDER.matcher(String.valueOf(duckDbMessage));
        String holder = m.find() ? " (pid " + m.group(1) + ")" : "";
        return "DuckDB file " + file + " is locked by another process" + holder + " for more than "
                + Durations.text(lockWait)
                + "; tasks that open it must share the Airflow pool 'duckdb' and keep it open only while they need it"
                + " — stop the process holding it or retry later";
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while waiting for the DuckDB lock", e);
        }
    }

    /**
     * Idempotent: creates what is missing and adds columns that older files lack; never drops a row. One
     * transaction, so a failure leaves the file as it was.
     */
    private void migrate() {
        inTransaction("create or migrate the flows table", c -> {
            try (Statement st = c.createStatement()) {
                if (recordedVersion(st) >= SCHEMA_VERSION) {
                    return null; // up to date: skip the DDL that every hot-write would run
                }
                st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (" + tableDefinition() + ")");
                dropPrimaryKey(st);
                for (FlowColumn col : FlowColumn.ALL) {
                    st.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS " + col.column + " " + col.type.sql);
                }
                for (Map.Entry<String, String> e : EXTRA_COLUMNS.entrySet()) {
                    st.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS " + e.getKey() + " " + e.getValue());
                }
                IncidentTable.migrate(st);
                st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at "
                        + "TIMESTAMP)");
                st.execute("INSERT INTO schema_version VALUES (" + SCHEMA_VERSION
                        + ", now()) ON CONFLICT (version) DO NOTHING");
                return null;
            }
        });
    }

    /** The newest schema version the file records, 0 for a new file. */
    private static int recordedVersion(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main'"
                + " AND table_name = 'schema_version'")) {
            rs.next();
            if (rs.getLong(1) == 0) return 0;
        }
        try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Version 1 files keyed flows by a primary key on uid. DuckDB cannot drop a constraint, so the table is rebuilt
     * without it (within the migration's transaction).
     */
    private void dropPrimaryKey(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_constraints() WHERE table_name = '" + TABLE
                + "' AND constraint_type = 'PRIMARY KEY'")) {
            rs.next();
            if (rs.getLong(1) == 0) return;
        }
        log.info("migrating {}: rebuilding table {} without its primary key", file, TABLE);
        st.execute("CREATE TABLE flows_rebuilt (" + tableDefinition() + ")");
        st.execute("INSERT INTO flows_rebuilt BY NAME SELECT * FROM " + TABLE);
        st.execute("DROP TABLE " + TABLE);
        st.execute("ALTER TABLE flows_rebuilt RENAME TO " + TABLE);
    }

    private static String tableDefinition() {
        StringBuilder sb = new StringBuilder();
        for (FlowColumn c : FlowColumn.ALL) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(c.column).append(' ').append(c.type.sql);
            if (c.required) sb.append(" NOT NULL");
        }
        EXTRA_COLUMNS.forEach(
                (name, type) -> sb.append(", ").append(name).append(' ').append(type));
        return sb.toString();
    }

    /** The newest schema version recorded in the file. */
    public int schemaVersion() {
        return (int) queryLong("SELECT max(version) FROM schema_version");
    }

    /** Rows in the flows table. */
    public long count() {
        return queryLong("SELECT count(*) FROM " + TABLE);
    }

    public Path file() {
        return file;
    }

    /** The open connection, for this package's classes that query or change the tables. */
    Connection connection() {
        return connection;
    }

    /** Work on the connection that may throw SQLException. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A failure is a
     * StepFailure saying "cannot {@code what} in FILE". Every change that spans statements goes through here.
     */
    <T> T inTransaction(String what, SqlWork<T> work) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StepFailure("cannot " + what + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /** A count or other whole number the query returns in its single row; 0 for SQL NULL. */
    long queryLong(String sql, Object... params) {
        Object value = queryValue(sql, params);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** The first column of the query's single row, null for SQL NULL. */
    Object queryValue(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1);
        } catch (SQLException e) {
            throw new StepFailure("query on " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs an UPDATE or DELETE with string and long parameters; returns the rows changed. */
    long update(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StepFailure("update of " + file + " failed: " + e.getMessage(), e);
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
        return ps;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StepFailure("cannot close DuckDB file " + file + ": " + e.getMessage(), e);
        }
    }
}
