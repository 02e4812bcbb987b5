package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OperatingPointTest {

    // Source 1, a deployment's own validation traffic: 10 benign flows, 8 scored 0.6 and 2 scored 0.7.
    // Source 2, generated networks: 90 benign flows scored 0.65.
    private static final float[] SCORES = new float[100];
    private static final int[] LABELS = new int[100];

    static {
        for (int i = 0; i < 100; i++) SCORES[i] = i < 8 ? 0.6f : i < 10 ? 0.7f : 0.65f;
    }

    @Test
    void aTargetFprHoldsOnEverySource() {
        OperatingPoint op = OperatingPoint.targetFpr(0.10);
        // Pooled, 10 of 100 benign flows may be flagged: just above 0.65 flags both 0.7s, 20 % of source 1.
        assertEquals(Math.nextUp(0.65f), op.threshold(SCORES, LABELS), 0);
        // Source 1 allows floor(1.0) = 1 flow, and its two 0.7s tie: just above 0.7. Source 2: just above 0.65.
        assertEquals(Math.nextUp(0.7f), op.threshold(SCORES, LABELS, new int[] {10, 90}), 0);
        // One source is the pooled rule.
        assertEquals(op.threshold(SCORES, LABELS), op.threshold(SCORES, LABELS, new int[] {100}), 0);
    }

    @Test
    void aTargetFprNeverFlagsAFlowBelowEvenOdds() {
        // Benign flows at 0.01 and 0.02, attacks at 0.3 and 0.4: a target of 0 % allows a threshold just above
        // 0.02, and the middle of the gap up to the attacks (in log-odds) is about 0.09; the model still finds
        // every flow more likely benign than not, so none is flagged.
        float[] scores = {0.01f, 0.02f, 0.3f, 0.4f};
        int[] labels = {0, 0, 1, 1};
        assertEquals(OperatingPoint.EVEN_ODDS, OperatingPoint.targetFpr(0.0).threshold(scores, labels), 0);
        assertEquals(
                OperatingPoint.EVEN_ODDS, OperatingPoint.targetFpr(0.0).threshold(scores, labels, new int[] {2, 2}), 0);
        // max-F1 is the F1-best threshold, as before: the lower attack.
        assertEquals(0.3f, OperatingPoint.maxF1().threshold(scores, labels), 0);
    }

    @Test
    void sourcesWithoutBenignFlowsAndMaxF1Pool() {
        float[] scores = {0.95f, 0.9f, 0.6f, 0.7f};
        int[] labels = {1, 1, 0, 0};
        // The first source holds attacks only: the threshold comes from the second.
        OperatingPoint op = OperatingPoint.targetFpr(0.0);
        assertEquals(
                op.threshold(new float[] {0.6f, 0.7f}, new int[] {0, 0}),
                op.threshold(scores, labels, new int[] {2, 2}),
                0);
        assertEquals(
                OperatingPoint.maxF1().threshold(scores, labels),
                OperatingPoint.maxF1().threshold(scores, labels, new int[] {2, 2}),
                0);
    }

    @Test
    void splitsKeepTheirValidationSources() {
        List<List<io.gnnnids.core.flow.Flow>> none = List.of();
        TrainingRun.Split a = new TrainingRun.Split(none, List.of(List.of(), List.of()), none);
        TrainingRun.Split b =
                new TrainingRun.Split(none, List.of(List.of(), List.of(), List.of()), none, List.of(1, 2));
        assertEquals(List.of(2), a.validationSources());
        assertEquals(List.of(2, 1, 2), a.plus(b).validationSources());
        assertThrows(
                IllegalArgumentException.class,
                () -> new TrainingRun.Split(none, List.of(List.of()), none, List.of(2)));
    }
}
