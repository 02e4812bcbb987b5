package io.gnnnids.core.monitor;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hot store shows about the pipeline and the network: how much waits for a prediction and for how long,
 * when flows last arrived, and what the model flagged in the last window. Ages are in seconds, measured with the
 * database's clock (the one that stamped ingested_at and predicted_at); null when there is nothing to measure.
 *
 * @param flows                    flows in the hot store
 * @param unscored                 of them, waiting for a prediction
 * @param oldestUnscoredAgeSeconds how long the oldest of those has waited since hot-write stored it
 * @param lastIngestedAgeSeconds   since the newest flow was stored
 * @param ingestedInWindow         flows stored in the window
 * @param lastPredictedAgeSeconds  since the newest prediction
 * @param scoredInWindow           flows scored in the window
 * @param attacksInWindow          of them, classified as attacks
 * @param attacksByLabel           those attacks by ground-truth family (detailed_label, else label), when known
 * @param topSources               the endpoints that originated most of those attacks
 * @param topTargets               the endpoints and ports most of those attacks went to
 * @param modelVersions            flows scored in the window by model version
 * @param incidents                incidents open or changed in the window, the highest scores first (at most 50)
 */
public record HotStoreActivity(
        long flows,
        long unscored,
        Double oldestUnscoredAgeSeconds,
        Double lastIngestedAgeSeconds,
        long ingestedInWindow,
        Double lastPredictedAgeSeconds,
        long scoredInWindow,
        long attacksInWindow,
        Map<String, Long> attacksByLabel,
        List<Source> topSources,
        List<Target> topTargets,
        Map<String, Long> modelVersions,
        List<Incident> incidents) {

    /** How many sources and targets the report lists. */
    static final int TOP = 10;
    /** How many incidents the report lists. */
    static final int INCIDENTS = 50;

    /** An endpoint that originated attacks: how many, to how many hosts and ports. */
    public record Source(String host, long attacks, long hosts, long ports) {}

    /** An endpoint and port that attacks went to, and from how many sources. */
    public record Target(String host, int port, long attacks, long sources) {}

    private static final String NOW = "CAST(now() AS TIMESTAMP)";

    /** Seconds from a timestamp expression to now. */
    private static String age(String timestamp) {
        return "date_diff('millisecond', " + timestamp + ", " + NOW + ") / 1000.0";
    }

    /** Reads the activity; {@code window} is how far back "recent" goes (the monitoring schedule). */
    public static HotStoreActivity read(HotStore store, Duration window) {
        String since = NOW + " - to_milliseconds(" + window.toMillis() + ")";
        String attacks = " FROM " + HotStore.TABLE + " WHERE prediction = 1 AND predicted_at >= " + since;
        // One query at a time on the statement: each result is read whole before the next query.
        try (Statement st = store.connection().createStatement()) {
            long flows;
            long unscored;
            Double oldestUnscored;
            Double lastIngested;
            long ingested;
            Double lastPredicted;
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (prediction IS NULL), "
                    + age("min(ingested_at) FILTER (prediction IS NULL)") + ", " + age("max(ingested_at)") + ", "
                    + "count(*) FILTER (ingested_at >= " + since + "), " + age("max(predicted_at)")
                    + " FROM " + HotStore.TABLE)) {
                rs.next();
                flows = rs.getLong(1);
                unscored = rs.getLong(2);
                oldestUnscored = nullable(rs, 3);
                lastIngested = nullable(rs, 4);
                ingested = rs.getLong(5);
                lastPredicted = nullable(rs, 6);
            }
            long scored;
            long attacked;
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (prediction = 1) FROM "
                    + HotStore.TABLE + " WHERE predicted_at >= " + since)) {
                rs.next();
                scored = rs.getLong(1);
                attacked = rs.getLong(2);
            }
            Map<String, Long> byLabel = counts(
                    st,
                    "SELECT coalesce(detailed_label, label, '(no label)') AS family, " + "count(*) AS n" + attacks
                            + " GROUP BY family ORDER BY n DESC, family");
            List<Source> sources = new ArrayList<>();
            try (ResultSet rs =
                    st.executeQuery("SELECT orig_h, count(*) AS n, count(DISTINCT resp_h), count(DISTINCT resp_p)"
                            + attacks + " GROUP BY orig_h ORDER BY n DESC, orig_h LIMIT " + TOP)) {
                while (rs.next()) sources.add(new Source(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
            List<Target> targets = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT resp_h, resp_p, count(*) AS n, count(DISTINCT orig_h)" + attacks
                    + " GROUP BY resp_h, resp_p ORDER BY n DESC, resp_h, resp_p LIMIT " + TOP)) {
                while (rs.next()) targets.add(new Target(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
            }
            Map<String, Long> versions = counts(
                    st,
                    "SELECT model_version, count(*) FROM " + HotStore.TABLE + " WHERE predicted_at >= " + since
                            + " GROUP BY model_version ORDER BY model_version");
            return new HotStoreActivity(
                    flows,
                    unscored,
                    oldestUnscored,
                    lastIngested,
                    ingested,
                    lastPredicted,
                    scored,
                    attacked,
                    byLabel,
                    sources,
                    targets,
                    versions,
                    IncidentTable.recent(store, window, INCIDENTS));
        } catch (SQLException e) {
            throw new StepFailure(
                    "cannot read the activity of the hot store " + store.file() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Long> counts(Statement st, String sql) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
        }
        return counts;
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
