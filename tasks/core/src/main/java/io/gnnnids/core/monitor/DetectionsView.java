package io.gnnnids.core.monitor;

import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.incident.ScoredFlow;
import io.gnnnids.core.store.HotStats;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import java.time.Duration;
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
        List<HotStats.Hour> hours,
        long[] scoreBins,
        List<HotStats.Family> families,
        List<HotStats.Count> named,
        List<HotStats.Count> reasons,
        Map<String, List<ScoredFlow>> incidentTop) {

    public static final int BINS = 20;
    static final int FLOWS_PER_INCIDENT = 5;
    /** The page shows the flows of the first incidents only: it stays readable with many open. */
    static final int INCIDENTS_WITH_FLOWS = 10;

    public static DetectionsView read(HotStore store, Duration window, List<Incident> incidents) {
        Map<String, List<ScoredFlow>> top = new LinkedHashMap<>();
        for (Incident i : incidents.subList(0, Math.min(INCIDENTS_WITH_FLOWS, incidents.size()))) {
            top.put(i.id(), IncidentTable.topFlows(store, i.id(), FLOWS_PER_INCIDENT));
        }
        return new DetectionsView(
                HotStats.lastDayByHour(store),
                HotStats.scoreBins(store, window, BINS),
                HotStats.families(store, window),
                HotStats.flaggedFamilies(store, window),
                HotStats.flaggedReasons(store, window),
                top);
    }
}
