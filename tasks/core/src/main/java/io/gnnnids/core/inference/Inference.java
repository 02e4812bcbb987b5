package io.gnnnids.core.inference;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.GraphWindows;
import io.gnnnids.core.model.Detector;
import io.gnnnids.core.model.Explanation;
import io.gnnnids.core.store.HotPredictions;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code infer} does with the hot store and a model version, in three parts so that the DuckDB file is held
 * only while reading and while writing, not while the model loads and scores: {@link #context}, {@link #score},
 * {@link #store}.
 */
public final class Inference {

    /**
     * The verdicts on one batch.
     *
     * @param uids         the batch's uids, in batch order
     * @param scores       the attack score of each
     * @param families     the family the model names for each flagged flow, else null
     * @param explanations why each flagged flow was flagged (JSON), else null
     * @param attacks      how many flows were flagged
     * @param byLabel      the flagged flows by their detailed label, where the flows carry one ("(no label)" else)
     * @param named        the flagged flows by the family the model named
     * @param seconds      how long scoring and explaining took
     */
    public record Verdicts(
            List<String> uids,
            float[] scores,
            String[] families,
            String[] explanations,
            long attacks,
            Map<String, Long> byLabel,
            Map<String, Long> named,
            double seconds) {}

    /**
     * What storing the verdicts changed: predictions written, and the incidents created, grown and closed.
     *
     * @param incidentSeconds the part of storing spent grouping the flagged flows into incidents
     */
    public record Stored(long updated, IncidentTable.Update incidents, double incidentSeconds) {}

    private Inference() {}

    /**
     * The context of a batch (the oldest flows without a prediction, in (ts, uid) order): the other flows of its
     * windows, in the parts of each window that hold the batch's flows. A busy window is cut into graphs of a
     * bounded size, and the flows of the other parts share no graph with the batch.
     */
    public static List<Flow> context(HotStore store, Detector detector, List<Flow> batch) {
        if (batch.isEmpty()) return List.of();
        Flow first = batch.get(0);
        Flow last = batch.get(batch.size() - 1);
        return HotPredictions.context(
                store,
                detector.windowSeconds(),
                GraphWindows.DEFAULT_MAX_EDGES,
                detector.windowStart(first),
                detector.windowEnd(last),
                last);
    }

    /** Scores the batch in its context, and explains and names the family of every flow flagged. */
    public static Verdicts score(Detector detector, List<Flow> context, List<Flow> batch) {
        long t0 = System.nanoTime();
        Detector.Scored scored = detector.scoreAndExplain(context, batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> uids = new ArrayList<>(batch.size());
        String[] families = new String[batch.size()];
        String[] explanations = new String[batch.size()];
        Map<String, Long> byLabel = new TreeMap<>();
        Map<String, Long> named = new TreeMap<>();
        long attacks = 0;
        for (int i = 0; i < batch.size(); i++) {
            Flow f = batch.get(i);
            uids.add(f.uid());
            Explanation why = scored.explanations()[i];
            if (why != null) {
                families[i] = why.family();
                explanations[i] = why.toJson();
                if (why.family() != null) named.merge(why.family(), 1L, Long::sum);
            }
            if (detector.isAttack(scored.scores()[i])) {
                attacks++;
                byLabel.merge(f.detailedLabel() == null ? "(no label)" : f.detailedLabel(), 1L, Long::sum);
            }
        }
        return new Verdicts(uids, scored.scores(), families, explanations, attacks, byLabel, named, seconds);
    }

    /**
     * Writes the predictions (only where none is stored yet), then groups the flagged flows into incidents. Two
     * transactions: flagged flows that a crash in between leaves without an incident are grouped by the next run.
     */
    public static Stored store(
            HotStore store, Verdicts v, double threshold, String modelVersion, Duration incidentGap) {
        long updated = HotPredictions.write(
                store, v.uids(), v.scores(), threshold, modelVersion, v.families(), v.explanations());
        long grouping = System.nanoTime();
        IncidentTable.Update incidents = IncidentTable.update(store, incidentGap);
        return new Stored(updated, incidents, (System.nanoTime() - grouping) / 1e9);
    }
}
