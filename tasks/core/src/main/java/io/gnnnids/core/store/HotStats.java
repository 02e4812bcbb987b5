package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures over the hot store's flows for the monitor's report and page, read without changing anything. A window
 * reaches back from the database's clock (the one that stamped ingested_at and predicted_at); ages are in seconds
 * on that clock, null when there is nothing to measure.
 */
public final class HotStats {

    /**
     * How far the pipeline has got.
     *
     * @param flows                    flows in the hot store
     * @param unscored                 of them, waiting for a prediction
     * @param oldestUnscoredAgeSeconds how long the oldest of those has waited since hot-write stored it
     * @param lastIngestedAgeSeconds   since the newest flow was stored
     * @param ingestedInWindow         flows stored in the window
     * @param lastPredictedAgeSeconds  since the newest prediction
     */
    public record Progress(
            long flows,
            long unscored,
            Double oldestUnscoredAgeSeconds,
            Double lastIngestedAgeSeconds,
            long ingestedInWindow,
            Double lastPredictedAgeSeconds) {}

    /** Flows scored in the window and, of them, those classified as attacks. */
    public record Scored(long flows, long attacks) {}

    /** An endpoint that originated attacks: how many, to how many hosts and ports. */
    public record Source(String host, long attacks, long hosts, long ports) {}

    /** An endpoint and port that attacks went to, and from how many sources. */
    public record Target(String host, int port, long attacks, long sources) {}

    /** An hour of traffic (epoch seconds of its start) as one model version scored it. */
    public record Hour(long start, String modelVersion, long scored, long flagged) {}

    /** A ground-truth family: flows and how many were flagged. */
    public record Family(String name, boolean attack, long flows, long flagged) {}

    /** How many flagged flows share a name (a family, a reason). */
    public record Count(String name, long flows) {}

    /** The lists of flagged flows per name are cut here: the page shows the most frequent. */
    private static final int MOST_FREQUENT = 12;

    private static final String NOW = "CAST(now() AS TIMESTAMP)";
    // What a failure says it could not read; the monitor's report and its page read separately.
    private static final String ACTIVITY = "the activity of the hot store ";
    private static final String DETECTIONS = "the detections of ";

    private HotStats() {}

    /** Flows stored, waiting for a prediction, and how long ago things last happened. */
    public static Progress progress(HotStore store, Duration window) {
        String sql = "SELECT count(*), count(*) FILTER (prediction IS NULL), "
                + age("min(ingested_at) FILTER (prediction IS NULL)") + ", " + age("max(ingested_at)") + ", "
                + "count(*) FILTER (ingested_at >= " + since(window) + "), " + age("max(predicted_at)")
                + " FROM " + HotStore.TABLE;
        return query(store, ACTIVITY, sql, rs -> {
            rs.next();
            return new Progress(
                    rs.getLong(1), rs.getLong(2), nullable(rs, 3), nullable(rs, 4), rs.getLong(5), nullable(rs, 6));
        });
    }

    /** Flows scored in the window, and how many of them were flagged. */
    public static Scored scored(HotStore store, Duration window) {
        String sql = "SELECT count(*), count(*) FILTER (prediction = 1) FROM " + HotStore.TABLE
                + " WHERE predicted_at >= " + since(window);
        return query(store, ACTIVITY, sql, rs -> {
            rs.next();
            return new Scored(rs.getLong(1), rs.getLong(2));
        });
    }

    /** The attacks of the window by ground-truth family (detailed_label, else label), the most frequent first. */
    public static Map<String, Long> attacksByLabel(HotStore store, Duration window) {
        return countsBy(
                store,
                "SELECT coalesce(detailed_label, label, '(no label)') AS family, count(*) AS n" + attacks(window)
                        + " GROUP BY family ORDER BY n DESC, family");
    }

    /** The {@code limit} endpoints that originated most of the window's attacks. */
    public static List<Source> topSources(HotStore store, Duration window, int limit) {
        String sql = "SELECT orig_h, count(*) AS n, count(DISTINCT resp_h), count(DISTINCT resp_p)" + attacks(window)
                + " GROUP BY orig_h ORDER BY n DESC, orig_h LIMIT " + limit;
        return list(
                store, ACTIVITY, sql, rs -> new Source(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
    }

    /** The {@code limit} endpoints and ports most of the window's attacks went to. */
    public static List<Target> topTargets(HotStore store, Duration window, int limit) {
        String sql = "SELECT resp_h, resp_p, count(*) AS n, count(DISTINCT orig_h)" + attacks(window)
                + " GROUP BY resp_h, resp_p ORDER BY n DESC, resp_h, resp_p LIMIT " + limit;
        return list(
                store, ACTIVITY, sql, rs -> new Target(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
    }

    /** Flows scored in the window by model version. */
    public static Map<String, Long> modelVersions(HotStore store, Duration window) {
        return countsBy(
                store,
                "SELECT model_version, count(*) FROM " + HotStore.TABLE + " WHERE predicted_at >= " + since(window)
                        + " GROUP BY model_version ORDER BY model_version");
    }

    /** Flows scored and flagged per hour of traffic (by flow time) over the newest day, per model version. */
    public static List<Hour> lastDayByHour(HotStore store) {
        String sql = "SELECT CAST(floor(ts / 3600) * 3600 AS BIGINT) AS h, model_version, count(*), "
                + "count(*) FILTER (prediction = 1) FROM " + HotStore.TABLE
                + " WHERE prediction IS NOT NULL AND ts >= (SELECT max(ts) FROM " + HotStore.TABLE + ") - 86400 "
                + "GROUP BY ALL ORDER BY h, model_version";
        return list(
                store, DETECTIONS, sql, rs -> new Hour(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    }

    /** Flows scored in the window per score bin of width 1/{@code bins}; a score of 1 counts in the last bin. */
    public static long[] scoreBins(HotStore store, Duration window, int bins) {
        String sql = "SELECT least(CAST(floor(score * " + bins + ") AS INTEGER), " + (bins - 1)
                + ") AS b, count(*) FROM " + HotStore.TABLE + " WHERE predicted_at >= " + since(window) + " GROUP BY b";
        return query(store, DETECTIONS, sql, rs -> {
            long[] out = new long[bins];
            while (rs.next()) out[Math.max(0, rs.getInt(1))] += rs.getLong(2);
            return out;
        });
    }

    /** Per ground-truth family of the flows scored in the window that carry a label: flows and flagged. */
    public static List<Family> families(HotStore store, Duration window) {
        String sql = "SELECT coalesce(detailed_label, label) AS f, bool_or(label = 'malicious'), count(*) AS n, "
                + "count(*) FILTER (prediction = 1) FROM " + HotStore.TABLE + " WHERE predicted_at >= " + since(window)
                + " AND label IS NOT NULL GROUP BY f ORDER BY n DESC, f";
        return list(
                store,
                DETECTIONS,
                sql,
                rs -> new Family(rs.getString(1), rs.getBoolean(2), rs.getLong(3), rs.getLong(4)));
    }

    /** The families the model named for the flows it flagged in the window, the most frequent first. */
    public static List<Count> flaggedFamilies(HotStore store, Duration window) {
        return flaggedBy(store, "predicted_family", window);
    }

    /** The first reasons the model gave for the flows it flagged in the window, the most frequent first. */
    public static List<Count> flaggedReasons(HotStore store, Duration window) {
        return flaggedBy(store, "explanation ->> '$.reasons[0].group'", window);
    }

    /** The flows flagged in the window per value of {@code expression}, the most frequent first. */
    private static List<Count> flaggedBy(HotStore store, String expression, Duration window) {
        String sql = "SELECT " + expression + " AS v, count(*) AS n FROM " + HotStore.TABLE
                + " WHERE prediction = 1 AND predicted_at >= " + since(window) + " AND " + expression
                + " IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT " + MOST_FREQUENT;
        return list(store, DETECTIONS, sql, rs -> new Count(rs.getString(1), rs.getLong(2)));
    }

    /** The FROM and WHERE of the flows flagged in the window. */
    private static String attacks(Duration window) {
        return " FROM " + HotStore.TABLE + " WHERE prediction = 1 AND predicted_at >= " + since(window);
    }

    /** The start of the window on the database's clock. */
    private static String since(Duration window) {
        return NOW + " - to_milliseconds(" + window.toMillis() + ")";
    }

    /** Seconds from a timestamp expression to now. */
    private static String age(String timestamp) {
        return "date_diff('millisecond', " + timestamp + ", " + NOW + ") / 1000.0";
    }

    /** Name and count per row, in the query's order. */
    private static Map<String, Long> countsBy(HotStore store, String sql) {
        return query(store, ACTIVITY, sql, rs -> {
            Map<String, Long> out = new LinkedHashMap<>();
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            return out;
        });
    }

    /** Reads a result: the whole of it, or the current row. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** One value per row, in the query's order. */
    private static <T> List<T> list(HotStore store, String what, String sql, Reader<T> row) {
        return query(store, what, sql, rs -> {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(row.read(rs));
            return out;
        });
    }

    private static <T> T query(HotStore store, String what, String sql, Reader<T> result) {
        try (Statement st = store.connection().createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return result.read(rs);
        } catch (SQLException e) {
            throw new StepFailure("cannot read " + what + store.file() + ": " + e.getMessage(), e);
        }
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
