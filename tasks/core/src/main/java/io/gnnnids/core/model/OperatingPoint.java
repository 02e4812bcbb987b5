package io.gnnnids.core.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a model version's decision threshold is chosen from its validation scores. Operators think in false alarms:
 * {@link Rule#TARGET_FPR} flags at most {@code targetFpr} of the validation windows' benign flows, whatever attacks
 * those windows happen to hold, so a threshold set on windows without some family still means what it says; within
 * that, it sits in the middle of the gap up to the attacks it detects ({@link Metrics#marginThresholdForFpr}), and
 * never below {@link #EVEN_ODDS}. {@link Rule#MAX_F1} maximises F1 on validation, which depends on the attack mix of
 * those windows.
 */
public record OperatingPoint(Rule rule, double targetFpr) {

    public enum Rule {
        TARGET_FPR,
        MAX_F1
    }

    public static final double DEFAULT_TARGET_FPR = 0.01;

    /**
     * The lowest threshold {@link Rule#TARGET_FPR} sets: the model is trained with balanced class weights, so a score
     * of 0.5 means "as likely an attack as not", and a flow it finds more likely benign is never flagged. Generated
     * validation networks are cleaner than real ones: their benign flows score near 0, so a target FPR alone can set
     * the threshold at 0.02, and on a network unlike them that flagged a quarter of the benign flows the training
     * networks never showed (docs/model.md).
     */
    public static final double EVEN_ODDS = 0.5;

    public OperatingPoint {
        if (!(targetFpr >= 0 && targetFpr < 1)) {
            throw new IllegalArgumentException("target false-positive rate must be in [0, 1), got " + targetFpr);
        }
    }

    public static OperatingPoint targetFpr(double rate) {
        return new OperatingPoint(Rule.TARGET_FPR, rate);
    }

    public static OperatingPoint maxF1() {
        return new OperatingPoint(Rule.MAX_F1, DEFAULT_TARGET_FPR);
    }

    /** The threshold for these validation scores (labels 1 attack, 0 benign, -1 unknown). */
    public double threshold(float[] scores, int[] labels) {
        return rule == Rule.MAX_F1
                ? Metrics.bestThreshold(scores, labels)
                : Math.max(EVEN_ODDS, Metrics.marginThresholdForFpr(scores, labels, targetFpr));
    }

    /**
     * The threshold for validation scores from several sources, {@code sourceEdges[i]} consecutive edges each. A
     * target FPR holds on every source with benign flows (the highest of their thresholds): pooled, a large generated
     * validation set would let a deployment's own benign traffic, the one that matters, be flagged far more often.
     * F1 is a property of the pooled attack mix, so max-F1 pools.
     */
    public double threshold(float[] scores, int[] labels, int[] sourceEdges) {
        if (rule == Rule.MAX_F1 || sourceEdges.length <= 1) return threshold(scores, labels);
        double highest = Double.NEGATIVE_INFINITY;
        int from = 0;
        for (int n : sourceEdges) {
            int[] sourceLabels = Arrays.copyOfRange(labels, from, from + n);
            if (Arrays.stream(sourceLabels).anyMatch(l -> l == 0)) {
                highest = Math.max(highest, threshold(Arrays.copyOfRange(scores, from, from + n), sourceLabels));
            }
            from += n;
        }
        return highest == Double.NEGATIVE_INFINITY ? threshold(scores, labels) : highest;
    }

    /** As MLflow and the model card record it: "target-fpr=0.01" or "max-f1". */
    @Override
    public String toString() {
        return rule == Rule.MAX_F1 ? "max-f1" : String.format(Locale.ROOT, "target-fpr=%s", targetFpr);
    }
}
