package io.gnnnids.core.evaluation;

import io.gnnnids.core.model.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detection figures of one set of scored flows (an input, or all of them). A figure that the flows cannot
 * define is null: the detection rate and F1 without attacks, the false-positive rate without benign flows, the
 * AUCs and the detection rates at a false-positive rate without both, precision when nothing was flagged.
 *
 * @param flows              every flow scored, labelled or not
 * @param unlabelled         flows without ground truth: scored as context, left out of every figure
 * @param detected           attacks at or above the model's threshold (true positives)
 * @param falseAlarms        benign flows at or above it (false positives)
 * @param detectionRateAtFpr per target false-positive rate ("0.001", "0.01"): the detection rate at the threshold
 *                           that flags at most that share of these benign flows
 * @param families           per attack family (detailed label): attacks, detected, detection rate
 * @param roc                false-positive rate (x) against detection rate (y); empty without both classes
 * @param pr                 detection rate (x) against precision (y); empty without both classes
 */
public record Figures(
        long flows,
        long attacks,
        long benign,
        long unlabelled,
        long detected,
        long falseAlarms,
        Double detectionRate,
        Double falsePositiveRate,
        Double precision,
        Double f1,
        Double rocAuc,
        Double prAuc,
        Map<String, Double> detectionRateAtFpr,
        Map<String, Metrics.FamilyRate> families,
        List<Curves.Point> roc,
        List<Curves.Point> pr) {

    /** The false-positive rates at which the detection rate is read off: 0.1 % and 1 %. */
    public static final double[] FPR_TARGETS = {0.001, 0.01};

    /**
     * @param labels   1 attack, 0 benign, -1 unlabelled
     * @param families detailed label per flow, or null
     */
    public static Figures of(float[] scores, int[] labels, String[] families, double threshold) {
        Metrics m = Metrics.of(scores, labels, families, threshold);
        long attacks = m.tp() + m.fn();
        long benign = m.fp() + m.tn();
        boolean both = attacks > 0 && benign > 0;
        Map<String, Double> atFpr = new LinkedHashMap<>();
        for (double target : FPR_TARGETS) {
            atFpr.put(
                    String.valueOf(target), both ? defined(Metrics.detectionRateAtFpr(scores, labels, target)) : null);
        }
        Curves.Pair curves = Curves.of(scores, labels);
        return new Figures(
                scores.length,
                attacks,
                benign,
                scores.length - attacks - benign,
                m.tp(),
                m.fp(),
                attacks > 0 ? m.recall() : null,
                benign > 0 ? m.falsePositiveRate() : null,
                m.tp() + m.fp() > 0 ? m.precision() : null,
                attacks > 0 ? m.f1() : null,
                both ? defined(m.rocAuc()) : null,
                both ? defined(m.prAuc()) : null,
                atFpr,
                m.families(),
                curves.roc(),
                curves.pr());
    }

    public long labelled() {
        return attacks + benign;
    }

    /** Both classes are present, so the curves and AUCs exist. */
    public boolean hasBothClasses() {
        return attacks > 0 && benign > 0;
    }

    private static Double defined(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
