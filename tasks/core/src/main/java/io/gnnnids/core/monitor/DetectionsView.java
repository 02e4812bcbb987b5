package io.gnnnids.core.monitor;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.incident.ScoredFlow;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the detections report draws beyond {@link HotStoreActivity}: flows scored and flagged per hour of traffic
 * over the last day, by model version; the scores of the window; per ground-truth family, how much was flagged;
 * the families named and the first reasons given for the flagged flows; and the flows behind each listed incident.
 *
 * @param hours       per hour of traffic (by flow time, the newest day), per model version
 * @param scoreBins   flows scored in the window per score bin of width 1/{@link #BINS}
 * @param families    per family of the flows scored in the window that carry a label
 * @param named       the families the model named for the flows it flagged in the window, the most frequent first
 * @param reasons     the first reasons of the flows it flagged in the window, the most frequent first
 * @param incidentTop the highest-scored flows of the first listed incidents, by incident id
 */
public record DetectionsView(
        List<Hour> hours,
        long[] scoreBins,
        List<Family> families,
        List<Count> named,
        List<Count> reasons,
        Map<String, List<ScoredFlow>> incidentTop) {

    public static final int BINS = 20;
    static final int FLOWS_PER_INCIDENT = 5;
    /** The page shows the flows of the first incidents only: it stays readable with many open. */
    static final int INCIDENTS_WITH_FLOWS = 10;

    /** An hour of traffic (epoch seconds of its start) as one model version scored it. */
    public record Hour(long start, String modelVersion, long scored, long flagged) {}

    /** A ground-truth family: flows and how many were flagged. */
    public record Family(String name, boolean attack, long flows, long flagged) {}

    /** How many flagged flows share a name (a family, a reason). */
    public record Count(String name, long flows) {}

    public static DetectionsView read(HotStore store, Duration window, List<Incident> incidents) {
        String since = "CAST(now() AS TIMESTAMP) - to_milliseconds(" + window.toMillis() + ")";
        try {
            List<Hour> hours = new ArrayList<>();
            try (PreparedStatement ps = store.connection()
                            .prepareStatement("SELECT CAST(floor(ts / 3600) * 3600 AS BIGINT) "
                                    + "AS h, model_version, count(*), count(*) FILTER (prediction = 1) FROM "
                                    + HotStore.TABLE
                                    + " WHERE prediction IS NOT NULL AND ts >= (SELECT max(ts) FROM " + HotStore.TABLE
                                    + ") - 86400 "
                                    + "GROUP BY ALL ORDER BY h, model_version");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) hours.add(new Hour(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
            long[] bins = new long[BINS];
            try (PreparedStatement ps = store.connection()
                            .prepareStatement("SELECT least(CAST(floor(score * " + BINS
                                    + ") AS INTEGER), " + (BINS - 1) + ") AS b, count(*) FROM " + HotStore.TABLE
                                    + " WHERE predicted_at >= "
                                    + since + " GROUP BY b");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) bins[Math.max(0, rs.getInt(1))] += rs.getLong(2);
            }
            List<Family> families = new ArrayList<>();
            try (PreparedStatement ps = store.connection()
                            .prepareStatement("SELECT coalesce(detailed_label, label) AS f, "
                                    + "bool_or(label = 'malicious'), count(*) AS n, count(*) FILTER (prediction = 1) FROM "
                                    + HotStore.TABLE
                                    + " WHERE predicted_at >= " + since
                                    + " AND label IS NOT NULL GROUP BY f ORDER BY n DESC, f");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    families.add(new Family(rs.getString(1), rs.getBoolean(2), rs.getLong(3), rs.getLong(4)));
            }
            List<Count> named = counts(store, "predicted_family", since);
            List<Count> reasons = counts(store, "explanation ->> '$.reasons[0].group'", since);
            Map<String, List<ScoredFlow>> top = new LinkedHashMap<>();
            for (Incident i : incidents.subList(0, Math.min(INCIDENTS_WITH_FLOWS, incidents.size()))) {
                top.put(i.id(), IncidentTable.topFlows(store, i.id(), FLOWS_PER_INCIDENT));
            }
            return new DetectionsView(hours, bins, families, named, reasons, top);
        } catch (SQLException e) {
            throw new StepFailure("cannot read the detections of " + store.file() + ": " + e.getMessage(), e);
        }
    }

    /** The flows flagged in the window per value of {@code expression}, the most frequent first (at most 12). */
    private static List<Count> counts(HotStore store, String expression, String since) throws SQLException {
        List<Count> out = new ArrayList<>();
        try (PreparedStatement ps = store.connection()
                        .prepareStatement("SELECT " + expression + " AS v, count(*) AS n FROM "
                                + HotStore.TABLE + " WHERE prediction = 1 AND predicted_at >= " + since + " AND "
                                + expression
                                + " IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT 12");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new Count(rs.getString(1), rs.getLong(2)));
        }
        return out;
    }
}
