package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.FlowColumn;
import io.gnnnids.core.util.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cold store layout over an {@link ObjectStore}: Hive-style daily partitions {@code date=YYYY-MM-DD/} (UTC day
 * of the flow's ts), one Parquet object per batch and day named after the batch id, so replaying a batch overwrites
 * the same objects instead of adding copies. Files are reshaped with an in-memory DuckDB, never the hot store.
 */
public final class ColdStore {

    private static final Logger log = LoggerFactory.getLogger(ColdStore.class);
    private static final Pattern SAFE_BATCH_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PARTITION_KEY = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})/[^/]+");
    /** The UTC day of a flow; epoch arithmetic, so no session time zone is involved. Twin: {@link #epochDayOf}. */
    static final String DAY_OF_TS = "CAST(epoch_ms(CAST(floor(ts * 1000) AS BIGINT)) AS DATE)";

    private final ObjectStore store;

    public ColdStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore objectStore() {
        return store;
    }

    public static String partition(LocalDate date) {
        return "date=" + date + "/";
    }

    public static String key(LocalDate date, String batchId) {
        if (!SAFE_BATCH_ID.matcher(batchId).matches()) {
            throw new IllegalArgumentException("batch id '" + batchId + "' is not usable in an object name");
        }
        return partition(date) + batchId + ".parquet";
    }

    /**
     * Splits the staged batch file by UTC day and stores one object per day. Rows whose uid is in excludeUids
     * (already stored by another batch) are left out, and a uid repeated in the file is kept once (first row).
     * A day whose rows are all excluded gets no object, and a stale object from an earlier run is removed.
     */
    public List<ColdObject> writeBatch(
            String batchId, Path batchParquet, Collection<String> excludeUids, Path scratchDir) {
        Path scratch = scratchDir.toAbsolutePath().resolve("cold-" + batchId);
        try (Connection db = DuckDb.inMemory();
                Statement st = db.createStatement()) {
            Files.createDirectories(scratch);
            st.execute("CREATE TABLE excluded (uid VARCHAR)");
            try (DuckDBAppender app =
                    ((DuckDBConnection) db).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "excluded")) {
                for (String uid : excludeUids) {
                    app.beginRow();
                    app.append(uid);
                    app.endRow();
                }
                app.flush(); // close() would swallow an error
            }
            // The kept rows: the file itself when nothing is left out (the usual case), else one materialised
            // table without the excluded uids and with the first row of a repeated uid. The days come from the ts
            // column of the whole file, so a day whose rows are all excluded is still seen (and its stale object
            // removed).
            String staged = "read_parquet(" + DuckDb.literal(batchParquet) + ", file_row_number = true)";
            String kept = staged;
            if (!excludeUids.isEmpty() || count(st, "SELECT count(*) - count(DISTINCT uid) FROM " + staged) > 0) {
                String notExcluded = excludeUids.isEmpty() ? "" : " WHERE uid NOT IN (SELECT uid FROM excluded)";
                st.execute("CREATE TEMP TABLE cold_kept AS SELECT * FROM " + staged + notExcluded
                        + " QUALIFY row_number() OVER (PARTITION BY uid ORDER BY file_row_number) = 1");
                kept = "cold_kept";
            }
            List<ColdObject> written = new ArrayList<>();
            for (LocalDate day : days(st, staged)) {
                String ofDay = " FROM " + kept + " WHERE " + DAY_OF_TS + " = DATE '" + day + "'";
                String key = key(day, batchId);
                Path file = scratch.resolve(day + ".parquet");
                long rows = count(st, "SELECT count(*)" + ofDay);
                if (rows == 0) {
                    store.delete(key);
                    continue;
                }
                // Sorted by ts with file order breaking ties, so a re-run writes the same file.
                st.execute("COPY (SELECT " + FlowColumn.sqlColumnList() + ofDay + " ORDER BY ts, file_row_number) TO "
                        + DuckDb.literal(file) + " (FORMAT PARQUET, COMPRESSION ZSTD)");
                store.put(key, file);
                written.add(new ColdObject(day.toString(), key, store.uri(key), rows, Files.size(file)));
                Files.deleteIfExists(file);
            }
            log.debug(
                    "batch {}: {} cold objects, {} rows",
                    batchId,
                    written.size(),
                    written.stream().mapToLong(ColdObject::rows).sum());
            return written;
        } catch (SQLException e) {
            throw new StepFailure(
                    "cannot split batch " + batchId + " (" + batchParquet + ") by day: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StepFailure("cannot use scratch folder " + scratch + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    /**
     * Stores a staged batch file as the batch's one object, without reading it: for the usual batch, whose flows all
     * fall on one UTC day with no uid to leave out or repeated. consume-batch writes it in the cold format (typed,
     * ZSTD, statistics), so this saves decoding and encoding every row again, and loading DuckDB at all. The archive
     * stores its day files (named after the archive run) the same way.
     */
    public ColdObject storeAsItIs(String batchId, Path batchParquet, LocalDate day, long rows) {
        String key = key(day, batchId);
        store.put(key, batchParquet);
        try {
            return new ColdObject(day.toString(), key, store.uri(key), rows, Files.size(batchParquet));
        } catch (IOException e) {
            throw new StepFailure("cannot read the size of " + batchParquet + ": " + e.getMessage(), e);
        }
    }

    /** The UTC day of a flow's ts as days since 1970-01-01: the Java twin of {@link #DAY_OF_TS}. */
    public static long epochDayOf(double ts) {
        return Math.floorDiv((long) Math.floor(ts * 1000), 86_400_000L);
    }

    private static List<LocalDate> days(Statement st, String relation) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (ResultSet rs =
                st.executeQuery("SELECT DISTINCT " + DAY_OF_TS + " AS day FROM " + relation + " ORDER BY day")) {
            while (rs.next()) days.add(rs.getObject(1, LocalDate.class));
        }
        return days;
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Keys of all partition objects of the days from..to (inclusive), in date order. */
    public List<String> keysForDates(LocalDate from, LocalDate to) {
        List<String> keys = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            store.list(partition(d)).stream()
                    .filter(k -> k.endsWith(".parquet"))
                    .forEach(keys::add);
        }
        return keys;
    }

    /**
     * Local files holding the objects of the days from..to, for DuckDB's read_parquet (which cannot read s3://
     * here). A local store's files are used in place; other stores' objects are downloaded below cacheDir,
     * keeping their key as relative path.
     */
    public List<Path> fetch(LocalDate from, LocalDate to, Path cacheDir) {
        List<Path> files = new ArrayList<>();
        for (String key : keysForDates(from, to)) {
            files.add(fetch(key, cacheDir));
        }
        return files;
    }

    /** One object as a local file (see {@link #fetch(LocalDate, LocalDate, Path)}). */
    public Path fetch(String key, Path cacheDir) {
        return store.localFile(key).orElseGet(() -> {
            Path dest = cacheDir.toAbsolutePath().resolve(ObjectStore.checkKey(key));
            store.get(key, dest);
            return dest;
        });
    }

    /**
     * Deletes every object of the days before {@code firstKept} and returns their keys, oldest first: the store's
     * expiry. Objects outside the {@code date=YYYY-MM-DD/} partitions are not touched.
     */
    public List<String> deleteDaysBefore(LocalDate firstKept) {
        List<String> deleted = new ArrayList<>();
        for (String key : store.list("date=")) {
            LocalDate day = dayOf(key);
            if (day != null && day.isBefore(firstKept)) {
                store.delete(key);
                deleted.add(key);
            }
        }
        return deleted;
    }

    /** The day of a {@code date=YYYY-MM-DD/<name>} key, or null for any other key. */
    static LocalDate dayOf(String key) {
        Matcher m = PARTITION_KEY.matcher(key);
        try {
            return m.matches() ? LocalDate.parse(m.group(1)) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException | RuntimeException ignored) {
            // scratch leftovers are harmless
        }
    }
}
