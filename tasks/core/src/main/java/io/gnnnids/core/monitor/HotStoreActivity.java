package io.gnnnids.core.monitor;

import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.store.HotStats;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import java.time.Duration;
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
        List<HotStats.Source> topSources,
        List<HotStats.Target> topTargets,
        Map<String, Long> modelVersions,
        List<Incident> incidents) {

    /** How many sources and targets the report lists. */
    static final int TOP = 10;
    /** How many incidents the report lists. */
    static final int INCIDENTS = 50;

    /** Reads the activity; {@code window} is how far back "recent" goes (the monitoring schedule). */
    public static HotStoreActivity read(HotStore store, Duration window) {
        HotStats.Progress progress = HotStats.progress(store, window);
        HotStats.Scored scored = HotStats.scored(store, window);
        return new HotStoreActivity(
                progress.flows(),
                progress.unscored(),
                progress.oldestUnscoredAgeSeconds(),
                progress.lastIngestedAgeSeconds(),
                progress.ingestedInWindow(),
                progress.lastPredictedAgeSeconds(),
                scored.flows(),
                scored.attacks(),
                HotStats.attacksByLabel(store, window),
                HotStats.topSources(store, window, TOP),
                HotStats.topTargets(store, window, TOP),
                HotStats.modelVersions(store, window),
                IncidentTable.recent(store, window, INCIDENTS));
    }
}
