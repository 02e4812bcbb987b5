package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.FlowColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The hot store's side of archiving, which moves flows past retention out of {@code flows} in three steps: mark
 * them with the archive run's id (one statement), export the marked rows, and once the archive holds them, delete
 * them (one transaction). A run that died in between leaves its rows marked; the next run finishes it under the same
 * id, so it writes the same archive objects again instead of a second copy. {@link Archiver} drives the steps.
 */
public final class HotArchive {

    /** Only flows ingested before this are past the retention; now() is the database's clock, as for ingested_at. */
    private static final String INGESTED_BEFORE = "ingested_at < CAST(now() AS TIMESTAMP) - to_milliseconds(?)";

    private HotArchive() {}

    /** The id of an archive run that marked flows and did not delete them, if any. */
    public static Optional<String> pendingRun(HotStore store) {
        return Optional.ofNullable(
                (String) store.queryValue("SELECT min(" + HotStore.ARCHIVE_ID + ") FROM " + HotStore.TABLE));
    }

    /**
     * Marks the flows ingested more than {@code retention} ago that have a prediction as taken by archive run
     * {@code archiveId}; returns how many. Flows still waiting for a prediction stay: the archive keeps predictions.
     */
    public static long mark(HotStore store, String archiveId, Duration retention) {
        return store.update(
                "UPDATE " + HotStore.TABLE + " SET " + HotStore.ARCHIVE_ID + " = ? WHERE " + HotStore.ARCHIVE_ID
                        + " IS NULL" + " AND prediction IS NOT NULL AND " + INGESTED_BEFORE,
                archiveId,
                retention.toMillis());
    }

    /** Flows ingested more than {@code retention} ago that have no prediction yet. */
    public static long unpredictedOlderThan(HotStore store, Duration retention) {
        return store.queryLong(
                "SELECT count(*) FROM " + HotStore.TABLE + " WHERE prediction IS NULL AND " + INGESTED_BEFORE,
                retention.toMillis());
    }

    /**
     * Writes the flows marked by archive run {@code archiveId} to {@code dir}, one Parquet file per UTC day of their
     * ts: every flow field, the batch that stored it, ingested_at, the prediction columns and the incident the flow
     * belongs to (null for most), sorted by ts and uid so that writing them again gives the same file.
     */
    public static List<DayFile> export(HotStore store, String archiveId, Path dir) {
        List<String> extra = new ArrayList<>(HotStore.EXTRA_COLUMNS.keySet());
        extra.remove(HotStore.ARCHIVE_ID);
        String columns = FlowColumn.sqlColumnList() + ", " + String.join(", ", extra) + ", incident_id";
        String marked = " FROM " + HotStore.TABLE + " LEFT JOIN " + IncidentTable.FLOWS + " USING (uid) WHERE "
                + HotStore.ARCHIVE_ID + " = " + DuckDb.literal(archiveId);
        try (Statement st = store.connection().createStatement()) {
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
                    "cannot export the flows of archive run " + archiveId + " from " + store.file() + ": "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new StepFailure("cannot create the archive scratch folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the flows marked by archive run {@code archiveId}, and their rows of {@code incident_flows} (the
     * archive names each flow's incident; {@code incidents} keeps the incidents' figures), in one transaction that
     * fails, deleting nothing, unless they are exactly the {@code expected} flows it exported.
     */
    public static long deleteArchived(HotStore store, String archiveId, long expected) {
        return store.inTransaction("delete the archived flows", c -> {
            store.update(
                    "DELETE FROM " + IncidentTable.FLOWS + " WHERE uid IN (SELECT uid FROM " + HotStore.TABLE
                            + " WHERE " + HotStore.ARCHIVE_ID + " = ?)",
                    archiveId);
            long deleted =
                    store.update("DELETE FROM " + HotStore.TABLE + " WHERE " + HotStore.ARCHIVE_ID + " = ?", archiveId);
            if (deleted != expected) { // thrown inside the transaction: it is rolled back
                throw new StepFailure("archive run " + archiveId + " exported " + expected + " flows but " + deleted
                        + " are marked in " + store.file()
                        + "; nothing was deleted — run archive again to export them anew");
            }
            return deleted;
        });
    }
}
