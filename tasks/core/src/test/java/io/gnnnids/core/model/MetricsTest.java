package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    // Labelled: 0.9 attack(A), 0.8 attack(B), 0.8 benign, 0.3 benign, 0.1 benign; 0.5 is unknown and ignored.
    private static final float[] SCORES = {0.9f, 0.8f, 0.8f, 0.3f, 0.1f, 0.5f};
    private static final int[] LABELS = {1, 1, 0, 0, 0, -1};
    private static final String[] FAMILIES = {"A", "B", null, null, null, "A"};

    @Test
    void confusionAndRatesAtAThreshold() {
        Metrics m = Metrics.of(SCORES, LABELS, FAMILIES, 0.5);
        assertEquals(2, m.tp());
        assertEquals(1, m.fp());
        assertEquals(2, m.tn());
        assertEquals(0, m.fn());
        assertEquals(0.8, m.accuracy(), 1e-12);
        assertEquals(2.0 / 3, m.precision(), 1e-12);
        assertEquals(1.0, m.recall(), 1e-12);
        assertEquals(0.8, m.f1(), 1e-12);
        assertEquals(1.0 / 3, m.falsePositiveRate(), 1e-12);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        // 6 attack/benign pairs: 0.9 beats 3, 0.8 ties one and beats 2 -> 5.5 / 6.
        assertEquals(5.5 / 6, Metrics.of(SCORES, LABELS, null, 0.5).rocAuc(), 1e-12);
        assertEquals(
                0.5,
                Metrics.of(new float[] {0.5f, 0.5f, 0.5f}, new int[] {1, 0, 0}, null, 0.5)
                        .rocAuc(),
                1e-12);
        assertEquals(
                1.0,
                Metrics.of(new float[] {0.2f, 0.1f}, new int[] {1, 0}, null, 0.5)
                        .rocAuc(),
                1e-12);
        assertEquals(
                0.0,
                Metrics.of(new float[] {0.1f, 0.2f}, new int[] {1, 0}, null, 0.5)
                        .rocAuc(),
                1e-12);
        assertTrue(Double.isNaN(Metrics.of(new float[] {0.1f, 0.2f}, new int[] {1, 1}, null, 0.5)
                .rocAuc()));
    }

    @Test
    void averagePrecisionWeighsPrecisionByRecallGained() {
        // 0.9: recall +1/2 at precision 1; 0.8 (one attack, one benign): recall +1/2 at precision 2/3.
        assertEquals(0.5 + 0.5 * 2 / 3.0, Metrics.of(SCORES, LABELS, null, 0.5).prAuc(), 1e-12);
        // Attack below two benign flows: precision 1/3 when it is found.
        assertEquals(
                1 / 3.0,
                Metrics.of(new float[] {0.9f, 0.8f, 0.1f}, new int[] {0, 0, 1}, null, 0.5)
                        .prAuc(),
                1e-12);
    }

    @Test
    void detectionRatePerFamilyIgnoresUnknownLabels() {
        Metrics m = Metrics.of(SCORES, LABELS, FAMILIES, 0.85);
        assertEquals(
                Map.of("A", new Metrics.FamilyRate(1, 1, 1.0), "B", new Metrics.FamilyRate(1, 0, 0.0)), m.families());
        Metrics unnamed = Metrics.of(SCORES, LABELS, null, 0.5);
        assertEquals(Map.of(Metrics.UNNAMED_FAMILY, new Metrics.FamilyRate(2, 2, 1.0)), unnamed.families());
    }

    @Test
    void bestThresholdMaximisesF1() {
        // >= 0.9: F1 2/3; >= 0.8: F1 0.8; >= 0.3: F1 2/3.
        assertEquals(0.8f, Metrics.bestThreshold(SCORES, LABELS), 1e-7);
        assertEquals(0.6f, Metrics.bestThreshold(new float[] {0.9f, 0.6f, 0.4f, 0.2f}, new int[] {1, 1, 0, 0}), 1e-7);
        assertEquals(0.5, Metrics.bestThreshold(new float[] {0.9f}, new int[] {0}), 1e-12);
    }

    @Test
    void thresholdForFprFlagsAtMostThatShareOfBenignFlows() {
        // Ten benign flows scored 0.1 .. 1.0 and two attacks.
        float[] scores = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f, 0.95f, 0.85f};
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        // 10 %: one benign flow may be flagged, so the threshold sits just above the second highest (0.9).
        double t10 = Metrics.thresholdForFpr(scores, labels, 0.10);
        assertEquals(Math.nextUp(0.9f), t10, 0);
        assertEquals(0.10, Metrics.of(scores, labels, null, t10).falsePositiveRate(), 1e-12);
        assertEquals(0.5, Metrics.detectionRateAtFpr(scores, labels, 0.10), 1e-12); // 0.95 yes, 0.85 no
        // 25 %: floor(2.5) = 2 benign flows; just above 0.8, so 0.85 is detected too.
        assertEquals(Math.nextUp(0.8f), Metrics.thresholdForFpr(scores, labels, 0.25), 0);
        assertEquals(1.0, Metrics.detectionRateAtFpr(scores, labels, 0.25), 1e-12);
        // 0 %: above every benign score; 100 %: everything is flagged.
        assertEquals(Math.nextUp(1.0f), Metrics.thresholdForFpr(scores, labels, 0), 0);
        assertEquals(0, Metrics.thresholdForFpr(scores, labels, 1), 0);
        assertEquals(0.0, Metrics.detectionRateAtFpr(scores, labels, 0), 1e-12);
    }

    @Test
    void thresholdForFprLeavesTiedBenignScoresTogether() {
        // Three benign flows tie at 0.7: allowing one false positive cannot split them, so none is flagged.
        float[] scores = {0.7f, 0.7f, 0.7f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.8f};
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        double t = Metrics.thresholdForFpr(scores, labels, 0.1);
        assertEquals(Math.nextUp(0.7f), t, 0);
        assertEquals(0, Metrics.of(scores, labels, null, t).fp());
        // Unknown labels (-1) are not benign flows; with no benign flow at all the threshold is 0.5.
        assertEquals(0.5, Metrics.thresholdForFpr(new float[] {0.9f, 0.1f}, new int[] {1, -1}, 0.01), 0);
        assertThrows(IllegalArgumentException.class, () -> Metrics.thresholdForFpr(scores, labels, 1.5));
    }

    @Test
    void marginThresholdSitsInTheMiddleOfTheGapInLogOdds() {
        // Benign at most 0.1 but one at 0.5, attacks at 0.9 and 0.99; ten benign flows.
        float[] scores = {0.05f, 0.05f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.5f, 0.9f, 0.99f};
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        // 10 %: the lowest allowed threshold is just above 0.1; the F1-best allowed is 0.9 (F1 1 above 0.5).
        // logit(0.1) = -2.197, logit(0.9) = 2.197: the middle is log-odds 0, probability 0.5.
        assertEquals(0.5, Metrics.marginThresholdForFpr(scores, labels, 0.10), 1e-6);
        // 0 %: from just above 0.5 to 0.9: log-odds 0 and 2.197, the middle 1.0986, probability 0.75.
        assertEquals(0.75, Metrics.marginThresholdForFpr(scores, labels, 0.0), 1e-6);
        // An attack just above the benign flows keeps F1 best there: the gap is only (0.3, 0.35]; its middle in
        // log-odds, (logit(0.3) + logit(0.35)) / 2 = -0.7332, is probability 0.3245.
        float[] tight = {0.1f, 0.2f, 0.3f, 0.35f, 0.9f};
        int[] tightLabels = {0, 0, 0, 1, 1};
        assertEquals(0.3245, Metrics.marginThresholdForFpr(tight, tightLabels, 0.0), 1e-4);
        // No attack above the lowest threshold: that threshold.
        float[] overlap = {0.9f, 0.1f, 0.2f};
        int[] overlapLabels = {0, 0, 1};
        assertEquals(
                Metrics.thresholdForFpr(overlap, overlapLabels, 0.0),
                Metrics.marginThresholdForFpr(overlap, overlapLabels, 0.0),
                0);
    }

    @Test
    void survivesJsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Metrics m = Metrics.of(SCORES, LABELS, FAMILIES, 0.5);
        assertEquals(m, json.readValue(json.writeValueAsString(m), Metrics.class));
        Metrics oneClass = Metrics.of(new float[] {0.1f}, new int[] {0}, null, 0.5);
        Metrics back = json.readValue(json.writeValueAsString(oneClass), Metrics.class);
        assertTrue(Double.isNaN(back.rocAuc()));
    }
}
