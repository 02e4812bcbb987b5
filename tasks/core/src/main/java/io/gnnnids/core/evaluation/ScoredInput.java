package io.gnnnids.core.evaluation;

import io.gnnnids.core.flow.Flow;
import java.util.List;
import java.util.Map;

/**
 * An input's scores with its ground truth, one entry per flow.
 *
 * @param labels   1 attack, 0 benign, -1 unlabelled
 * @param families detailed label per flow (null when none)
 */
public record ScoredInput(
        String name,
        String source,
        long rejected,
        Map<String, Long> rejectedByReason,
        float[] scores,
        int[] labels,
        String[] families) {

    public static ScoredInput of(EvaluationInput input, float[] scores) {
        List<Flow> flows = input.flows();
        if (scores.length != flows.size()) throw new IllegalArgumentException("one score per flow is needed");
        int[] labels = new int[flows.size()];
        String[] families = new String[flows.size()];
        for (int i = 0; i < labels.length; i++) {
            Flow f = flows.get(i);
            labels[i] = Flow.MALICIOUS.equals(f.label()) ? 1 : Flow.BENIGN.equals(f.label()) ? 0 : -1;
            families[i] = f.detailedLabel();
        }
        return new ScoredInput(
                input.name(), input.source(), input.rejected(), input.rejectedByReason(), scores, labels, families);
    }
}
