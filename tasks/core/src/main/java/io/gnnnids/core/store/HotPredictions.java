package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Predictions in the hot store, for infer: the flows waiting for one, the flows around them that make up their
 * graphs' context, and the writing of scores, families and explanations.
 */
public final class HotPredictions {

    private HotPredictions() {}

    /** Whether any flow waits for a prediction. */
    public static boolean anyUnpredicted(HotStore store) {
        return Boolean.TRUE.equals(
                store.queryValue("SELECT EXISTS (SELECT 1 FROM " + HotStore.TABLE + " WHERE prediction IS NULL)"));
    }

    /** Up to {@code limit} flows waiting for a prediction, oldest first. */
    public static List<Flow> unpredicted(HotStore store, int limit) {
        return flows(
                store,
                "SELECT " + FlowColumn.sqlColumnList() + " FROM " + HotStore.TABLE
                        + " WHERE prediction IS NULL ORDER BY ts, uid LIMIT " + limit);
    }

    /**
     * The context of a batch, the oldest flows waiting for a prediction up to {@code last} in (ts, uid) order: every
     * other flow of the windows of {@code windowSeconds} (aligned to the epoch) that the batch touches, from
     * {@code windowStart} on, in (ts, uid) order. A window of more flows than {@code partSize} is scored in parts of
     * that many flows in (ts, uid) order, and flows of the parts before and after those that hold the batch's flows
     * share no graph with the batch: they are left out. (When inference is behind, the batch's last window may hold
     * millions of flows waiting after it.)
     *
     * <p>One query, the flows' rank in their window counted by DuckDB: a query per window read the table once for
     * each (57 windows and 6 s for a batch of 500,000 flows). The ranks are counted over (ts, uid) alone and the
     * columns read only for the flows picked: sorting whole rows to rank a window of 10 million flows took 8.5 s,
     * the two columns 2.8 s.
     */
    public static List<Flow> context(
            HotStore store, long windowSeconds, long partSize, double windowStart, double windowEnd, Flow last) {
        String window = "CAST(floor(ts / " + windowSeconds + ") AS BIGINT)";
        String sql = "WITH w AS (SELECT uid, " + window + " AS win, "
                + "prediction IS NULL AND (ts < ? OR (ts = ? AND uid <= ?)) AS in_batch, "
                + "row_number() OVER (PARTITION BY " + window + " ORDER BY ts, uid) - 1 AS rank "
                + "FROM " + HotStore.TABLE + " WHERE ts >= ? AND ts < ?), "
                + "parts AS (SELECT win, min(rank) - min(rank) % " + partSize + " AS first, "
                + "max(rank) - max(rank) % " + partSize + " + " + partSize + " AS past FROM w WHERE in_batch "
                + "GROUP BY win), "
                + "picked AS (SELECT uid FROM w JOIN parts USING (win) WHERE NOT in_batch AND rank >= first "
                + "AND rank < past) "
                + "SELECT " + FlowColumn.sqlColumnList() + " FROM " + HotStore.TABLE + " SEMI JOIN picked USING (uid) "
                + "WHERE ts >= ? AND ts < ? ORDER BY ts, uid";
        return flows(store, sql, last.ts(), last.ts(), last.uid(), windowStart, windowEnd, windowStart, windowEnd);
    }

    /**
     * Writes predictions by uid in one transaction, only where no prediction is stored yet (so a re-run or a
     * concurrent run changes nothing). Returns the rows updated.
     */
    public static long write(HotStore store, List<String> uids, float[] scores, double threshold, String modelVersion) {
        return write(store, uids, scores, threshold, modelVersion, null, null);
    }

    /**
     * As {@link #write(HotStore, List, float[], double, String)}, with each flow's predicted family and explanation
     * (JSON); either array may be null, and so may its entries (flows that were not flagged).
     */
    public static long write(
            HotStore store,
            List<String> uids,
            float[] scores,
            double threshold,
            String modelVersion,
            String[] families,
            String[] explanations) {
        return store.inTransaction("store predictions", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE OR REPLACE TEMP TABLE predictions_staged (uid VARCHAR, prediction TINYINT, score "
                        + "DOUBLE, "
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
                // The rows to write are found by uid first, and updated by row id: an UPDATE joined on uid took
                // DuckDB 39 s for 1.2 million flows with their family and explanation, and 45 s for 2.4 million
                // without them; by row id, 1.1 and 1.8 s with them. In row order: the join hands them over in hash
                // order, and updating 1.1 million rows just inserted took 27 s in that order, 0.7 s sorted. Flows
                // that already have a prediction are left out, so a re-run, or a concurrent one, changes nothing.
                st.execute("CREATE OR REPLACE TEMP TABLE predictions_rows AS SELECT f.rowid AS row_id, p.* FROM "
                        + HotStore.TABLE + " f JOIN predictions_staged p USING (uid) WHERE f.prediction IS NULL "
                        + "ORDER BY row_id");
                long updated;
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + HotStore.TABLE
                        + " SET prediction = p.prediction, score = p.score, predicted_family = p.predicted_family, "
                        + "explanation = p.explanation, model_version = ?, predicted_at = now() "
                        + "FROM predictions_rows p WHERE " + HotStore.TABLE + ".rowid = p.row_id")) {
                    ps.setString(1, modelVersion);
                    updated = ps.executeUpdate();
                }
                st.execute("DROP TABLE predictions_rows");
                st.execute("DROP TABLE predictions_staged");
                return updated;
            }
        });
    }

    private static void appendText(DuckDBAppender app, String value) throws SQLException {
        if (value == null) app.appendNull();
        else app.append(value);
    }

    private static List<Flow> flows(HotStore store, String sql, Object... params) {
        try {
            return FlowRows.query(store.connection(), sql, params);
        } catch (SQLException e) {
            throw new StepFailure("query on " + store.file() + " failed: " + e.getMessage(), e);
        }
    }
}
