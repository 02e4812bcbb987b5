package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot store: table {@code flows} in one DuckDB file, keyed by uid, holding every flow field plus the batch
 * that stored it and, once inferred, its prediction. Opening creates or migrates the schema.
 *
 * <p>DuckDB lets only one process open the file while it writes, so {@link #open} waits for the lock with backoff
 * for a bounded time; the DAGs additionally serialise all tasks that open the file through one Airflow pool.
 */
public final class HotStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HotStore.class);

    /**
     * Bump when the table changes; {@link #migrate} brings older files up to date. Version 2 dropped the primary key
     * on uid (uniqueness is enforced by {@link #insertBatch}); version 3 added {@code archive_id}; version 4 the
     * incident tables ({@link IncidentTable}); version 5 {@code predicted_family} and {@code explanation}.
     */
    public static final int SCHEMA_VERSION = 5;

    public static final String TABLE = "flows";
    private static final String ARCHIVE_ID = "archive_id";

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
        // The archive run that is moving the row out of the hot store (see markForArchive).
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
                st.execute("CREATE TABLE IF NOT EXISTS " + IncidentTable.TABLE + " (" + IncidentTable.DEFINITION + ")");
                st.execute("ALTER TABLE " + IncidentTable.TABLE + " ADD COLUMN IF NOT EXISTS "
                        + IncidentTable.ADDED_COLUMNS);
                st.execute("CREATE TABLE IF NOT EXISTS " + IncidentTable.FLOWS + " (" + IncidentTable.FLOWS_DEFINITION
                        + ")");
                st.execute(
                        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)");
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

    /**
     * Stores a staged batch file in one transaction: new uids are inserted, uids already stored are left alone,
     * and within the file the first row of a uid wins. Running the same batch again adds nothing and reports the
     * same counts.
     *
     * <p>Uniqueness is checked with an anti-join on uid rather than a primary key: DuckDB's key index made up three
     * quarters of the file and doubled the cost of every insert and checkpoint (docs/decisions.md). Only one
     * process can write the file at a time, and this runs in one transaction, so the check cannot race.
     */
    public HotWriteResult insertBatch(String batchId, Path batchParquet) {
        String cols = FlowColumn.sqlColumnList();
        return inTransaction("store batch " + batchId + " from " + batchParquet, c -> {
            try (Statement st = c.createStatement()) {
                String parquet = "read_parquet(" + DuckDb.literal(batchParquet) + ")";
                long staged;
                long distinct;
                try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT uid) FROM " + parquet)) {
                    rs.next();
                    staged = rs.getLong(1);
                    distinct = rs.getLong(2);
                }
                // The rows to store: the file itself, or, when it repeats a uid, the first row of each uid (the
                // one Kafka delivered first). Reading the file directly saves materialising it.
                String source = parquet;
                if (distinct < staged) {
                    st.execute("CREATE OR REPLACE TEMP TABLE hot_staged AS SELECT " + cols + " FROM read_parquet("
                            + DuckDb.literal(batchParquet) + ", file_row_number = true)"
                            + " QUALIFY row_number() OVER (PARTITION BY uid ORDER BY file_row_number) = 1");
                    source = "hot_staged";
                }
                // The batch's uids that are stored already, by this batch (a re-run) or by another one.
                st.execute("CREATE OR REPLACE TEMP TABLE hot_stored AS SELECT f.uid, f.batch_id FROM " + TABLE
                        + " f SEMI JOIN " + source + " s ON f.uid = s.uid");
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO " + TABLE + " (" + cols + ", batch_id, ingested_at) SELECT " + cols + ", ?, now()"
                                + " FROM " + source + " s ANTI JOIN hot_stored d ON s.uid = d.uid")) {
                    ps.setString(1, batchId);
                    ps.executeUpdate();
                }
                List<String> elsewhere = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT uid FROM hot_stored WHERE batch_id IS DISTINCT FROM ? ORDER BY uid")) {
                    ps.setString(1, batchId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) elsewhere.add(rs.getString(1));
                    }
                }
                long inserted = distinct - elsewhere.size();
                st.execute("DROP TABLE IF EXISTS hot_staged");
                st.execute("DROP TABLE hot_stored");
                HotWriteResult result = new HotWriteResult(staged, inserted, staged - inserted, elsewhere);
                log.debug(
                        "batch {}: {} staged, {} stored, {} duplicates ({} uids stored by other batches)",
                        batchId,
                        staged,
                        inserted,
                        result.duplicates(),
                        elsewhere.size());
                return result;
            }
        });
    }

    /** Up to {@code limit} flows waiting for a prediction, oldest first. */
    public List<Flow> unpredicted(int limit) {
        return flows("SELECT " + FlowColumn.sqlColumnList() + " FROM " + TABLE
                + " WHERE prediction IS NULL ORDER BY ts, uid LIMIT " + limit);
    }

    /** The flows with {@code from <= ts < to} in (ts, uid) order, from the {@code skip}-th on: a batch's context. */
    public List<Flow> between(double from, double to, long skip) {
        return flows("SELECT " + FlowColumn.sqlColumnList() + " FROM " + TABLE + " WHERE ts >= " + from + " AND ts < "
                + to + " ORDER BY ts, uid OFFSET " + skip);
    }

    /** How many flows with {@code ts >= from} come before {@code f} in (ts, uid) order. */
    public long rank(double from, Flow f) {
        return queryLong(
                "SELECT count(*) FROM " + TABLE + " WHERE ts >= ? AND (ts < ? OR (ts = ? AND uid < ?))",
                from,
                f.ts(),
                f.ts(),
                f.uid());
    }

    /**
     * Writes predictions by uid in one transaction, only where no prediction is stored yet (so a re-run or a
     * concurrent run changes nothing). Returns the rows updated.
     */
    public long writePredictions(List<String> uids, float[] scores, double threshold, String modelVersion) {
        return writePredictions(uids, scores, threshold, modelVersion, null, null);
    }

    /**
     * As {@link #writePredictions(List, float[], double, String)}, with each flow's predicted family and explanation
     * (JSON); either array may be null, and so may its entries (flows that were not flagged).
     */
    public long writePredictions(
            List<String> uids,
            float[] scores,
            double threshold,
            String modelVersion,
            String[] families,
            String[] explanations) {
        return inTransaction("store predictions", c -> {
            try (Statement st = c.createStatement()) {
                st.execute(
                        "CREATE OR REPLACE TEMP TABLE predictions_staged (uid VARCHAR, prediction TINYINT, score DOUBLE, "
                                + "predicted_family VARCHAR, explanation VARCHAR)");
                try (DuckDBAppender app = ((DuckDBConnection) c).createAppender("temp", "main", "predictions_staged")) {
                    for (int i = 0; i < uids.size(); i++) {
                        app.beginRow()
                                .append(uids.get(i))
                                .append((byte) (scores[i] >= threshold ? 1 : 0))
                                .append((double) scores[i]);
                        appendText(app, families == null ? null : families[i]);
                        appendText(app, explanations == null ? null : explanations[i]);
                        app.endRow();
                    }
                    app.flush(); // close() swallows errors; flush() reports them
                }
                long updated;
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET prediction = p.prediction, "
                        + "score = p.score, predicted_family = p.predicted_family, explanation = p.explanation, "
                        + "model_version = ?, predicted_at = now() FROM predictions_staged p "
                        + "WHERE " + TABLE + ".uid = p.uid AND " + TABLE + ".prediction IS NULL")) {
                    ps.setString(1, modelVersion);
                    updated = ps.executeUpdate();
                }
                st.execute("DROP TABLE predictions_staged");
                return updated;
            }
        });
    }

    private static void appendText(DuckDBAppender app, String value) throws SQLException {
        if (value == null) app.appendNull();
        else app.append(value);
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

    // Archiving moves flows past retention out of the table in three steps: mark them with the archive run's id (one
    // transaction), export the marked rows, and once the archive holds them, delete them (one transaction). A run
    // that died in between leaves its rows marked; the next run finishes it under the same id, so it writes the same
    // archive objects again instead of a second copy.

    /** Only flows ingested before this are past the retention; now() is the database's clock, as for ingested_at. */
    private static final String INGESTED_BEFORE = "ingested_at < CAST(now() AS TIMESTAMP) - to_milliseconds(?)";

    /** The id of an archive run that marked flows and did not delete them, if any. */
    public Optional<String> pendingArchive() {
        return Optional.ofNullable((String) queryValue("SELECT min(" + ARCHIVE_ID + ") FROM " + TABLE));
    }

    /**
     * Marks the flows ingested more than {@code retention} ago that have a prediction as taken by archive run
     * {@code archiveId}; returns how many. Flows still waiting for a prediction stay: the archive keeps predictions.
     */
    public long markForArchive(String archiveId, Duration retention) {
        return update(
                "UPDATE " + TABLE + " SET " + ARCHIVE_ID + " = ? WHERE " + ARCHIVE_ID + " IS NULL"
                        + " AND prediction IS NOT NULL AND " + INGESTED_BEFORE,
                archiveId,
                retention.toMillis());
    }

    /** Flows ingested more than {@code retention} ago that have no prediction yet. */
    public long unpredictedOlderThan(Duration retention) {
        return queryLong(
                "SELECT count(*) FROM " + TABLE + " WHERE prediction IS NULL AND " + INGESTED_BEFORE,
                retention.toMillis());
    }

    /**
     * Writes the flows marked by archive run {@code archiveId} to {@code dir}, one Parquet file per UTC day of their
     * ts: every flow field, the batch that stored it, ingested_at, the prediction columns and the incident the flow
     * belongs to (null for most), sorted by ts and uid so that writing them again gives the same file.
     */
    public List<DayFile> exportArchive(String archiveId, Path dir) {
        List<String> extra = new ArrayList<>(EXTRA_COLUMNS.keySet());
        extra.remove(ARCHIVE_ID);
        String columns = FlowColumn.sqlColumnList() + ", " + String.join(", ", extra) + ", incident_id";
        String marked = " FROM " + TABLE + " LEFT JOIN " + IncidentTable.FLOWS + " USING (uid) WHERE " + ARCHIVE_ID
                + " = " + DuckDb.literal(archiveId);
        try (Statement st = connection.createStatement()) {
            Files.createDirectories(dir);
            // The flows per day in one pass, then one COPY per day.
            Map<LocalDate, Long> rowsPerDay = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery(
                    "SELECT " + ColdStore.DAY_OF_TS + " AS day, count(*)" + marked + " GROUP BY day ORDER BY day")) {
                while (rs.next()) rowsPerDay.put(rs.getObject(1, LocalDate.class), rs.getLong(2));
            }
            List<DayFile> files = new ArrayList<>();
            for (Map.Entry<LocalDate, Long> day : rowsPerDay.entrySet()) {
                Path out = dir.toAbsolutePath().resolve(day.getKey() + ".parquet");
                st.execute("COPY (SELECT " + columns + marked + " AND " + ColdStore.DAY_OF_TS + " = DATE '"
                        + day.getKey() + "' ORDER BY ts, uid) TO " + DuckDb.literal(out)
                        + " (FORMAT PARQUET, COMPRESSION ZSTD)");
                files.add(new DayFile(day.getKey(), out, day.getValue()));
            }
            return files;
        } catch (SQLException e) {
            throw new StepFailure(
                    "cannot export the flows of archive run " + archiveId + " from " + file + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new StepFailure("cannot create the archive scratch folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the flows marked by archive run {@code archiveId}, and their rows of {@code incident_flows} (the
     * archive names each flow's incident; {@code incidents} keeps the incidents' figures), in one transaction that
     * fails, deleting nothing, unless they are exactly the {@code expected} flows it exported.
     */
    public long deleteArchived(String archiveId, long expected) {
        return inTransaction("delete the archived flows", c -> {
            update(
                    "DELETE FROM " + IncidentTable.FLOWS + " WHERE uid IN (SELECT uid FROM " + TABLE + " WHERE "
                            + ARCHIVE_ID + " = ?)",
                    archiveId);
            long deleted = update("DELETE FROM " + TABLE + " WHERE " + ARCHIVE_ID + " = ?", archiveId);
            if (deleted != expected) { // thrown inside the transaction: it is rolled back
                throw new StepFailure("archive run " + archiveId + " exported " + expected + " flows but " + deleted
                        + " are marked in " + file + "; nothing was deleted — run archive again to export them anew");
            }
            return deleted;
        });
    }

    /** Runs an UPDATE or DELETE with string and long parameters; returns the rows changed. */
    private long update(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StepFailure("update of " + file + " failed: " + e.getMessage(), e);
        }
    }

    private List<Flow> flows(String sql) {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return FlowRows.readAll(rs);
        } catch (SQLException e) {
            throw new StepFailure("query on " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Rows in the flows table. */
    public long count() {
        return queryLong("SELECT count(*) FROM " + TABLE);
    }

    /** The open connection, for steps that query or update the table themselves. */
    public Connection connection() {
        return connection;
    }

    public Path file() {
        return file;
    }

    /** A count or other whole number the query returns in its single row; 0 for SQL NULL. */
    private long queryLong(String sql, Object... params) {
        Object value = queryValue(sql, params);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** The first column of the query's single row, null for SQL NULL. */
    private Object queryValue(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1);
        } catch (SQLException e) {
            throw new StepFailure("query on " + file + " failed: " + e.getMessage(), e);
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
