package io.gnnnids.core.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Detection quality of attack scores against ground truth. An edge counts as detected when its score is at or
 * above the threshold; edges labelled -1 (unknown) are ignored. ROC-AUC and PR-AUC do not depend on the
 * threshold; they are NaN when the labels hold only one class.
 *
 * @param recall   the detection rate: detected attacks / attacks
 * @param rocAuc   probability that a random attack scores above a random benign flow, ties counting half
 * @param prAuc    average precision: precision at each distinct score weighted by the recall it adds
 * @param families per attack family (detailed label): how many attacks, how many detected
 */
public record Metrics(
        double threshold,
        long tp,
        long fp,
        long tn,
        long fn,
        double accuracy,
        double precision,
        double recall,
        double f1,
        double falsePositiveRate,
        double rocAuc,
        double prAuc,
        Map<String, FamilyRate> families) {

    /** Attack flows without a family are counted under this name. */
    public static final String UNNAMED_FAMILY = "unnamed";

    public record FamilyRate(long count, long detected, double rate) {}

    public Metrics {
        families = Collections.unmodifiableMap(new TreeMap<>(families)); // sorted: reports read the same every run
    }

    /**
     * @param scores   probability of attack per edge
     * @param labels   1 attack, 0 benign, -1 unknown (ignored)
     * @param families detailed label per edge, or null
     */
    public static Metrics of(float[] scores, int[] labels, String[] families, double threshold) {
        if (scores.length != labels.length || (families != null && families.length != labels.length)) {
            throw new IllegalArgumentException("scores, labels and families must have one entry per edge");
        }
        long tp = 0, fp = 0, tn = 0, fn = 0;
        Map<String, long[]> perFamily = new TreeMap<>();
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] < 0) continue;
            boolean detected = scores[i] >= threshold;
            if (labels[i] == 1) {
                if (detected) tp++;
                else fn++;
                String family = families == null || families[i] == null ? UNNAMED_FAMILY : families[i];
                long[] c = perFamily.computeIfAbsent(family, k -> new long[2]);
                c[0]++;
                if (detected) c[1]++;
            } else {
                if (detected) fp++;
                else tn++;
            }
        }
        Map<String, FamilyRate> rates = new TreeMap<>();
        perFamily.forEach((k, c) -> rates.put(k, new FamilyRate(c[0], c[1], ratio(c[1], c[0]))));
        double precision = ratio(tp, tp + fp);
        double recall = ratio(tp, tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        Ranked r = Ranked.of(scores, labels);
        return new Metrics(
                threshold,
                tp,
                fp,
                tn,
                fn,
                ratio(tp + tn, tp + fp + tn + fn),
                precision,
                recall,
                f1,
                ratio(fp, fp + tn),
                r.rocAuc(),
                r.averagePrecision(),
                rates);
    }

    /**
     * The threshold with the highest F1 (the highest such score when several tie): a score s means "attack when
     * score >= s". 0.5 when the labels hold no attack.
     */
    public static double bestThreshold(float[] scores, int[] labels) {
        return bestThreshold(scores, labels, Double.NEGATIVE_INFINITY);
    }

    /** As {@link #bestThreshold(float[], int[])}, among the scores at or above {@code floor}; the floor if none. */
    static double bestThreshold(float[] scores, int[] labels, double floor) {
        Ranked r = Ranked.of(scores, labels);
        if (r.positives == 0) return floor == Double.NEGATIVE_INFINITY ? 0.5 : floor;
        double best = -1;
        double threshold = floor == Double.NEGATIVE_INFINITY ? 0.5 : floor;
        long tp = 0, fp = 0;
        int i = 0;
        while (i < r.n && r.scores[i] >= floor) {
            float s = r.scores[i];
            for (; i < r.n && r.scores[i] == s; i++) {
                if (r.labels[i] == 1) tp++;
                else fp++;
            }
            double f1 = 2.0 * tp / (2.0 * tp + fp + (r.positives - tp));
            if (f1 > best) {
                best = f1;
                threshold = s;
            }
        }
        return threshold;
    }

    /**
     * The lowest threshold that flags at most {@code targetFpr} of the benign flows (labels 0): an operating point
     * chosen from benign traffic alone. With the benign scores sorted high to low and k = floor(targetFpr x
     * benign), it lies just above the (k+1)-th highest, so ties there are left unflagged together. 0.5 when there
     * is no benign flow; 0 when every benign flow may be flagged.
     */
    public static double thresholdForFpr(float[] scores, int[] labels, double targetFpr) {
        if (!(targetFpr >= 0 && targetFpr <= 1)) {
            throw new IllegalArgumentException("target false-positive rate must be between 0 and 1, got " + targetFpr);
        }
        int n = 0;
        for (int l : labels) if (l == 0) n++;
        if (n == 0) return 0.5;
        float[] benign = new float[n];
        int k = 0;
        for (int i = 0; i < labels.length; i++)
            if (labels[i] == 0) benign[k++] = Float.isNaN(scores[i]) ? 0 : scores[i];
        Arrays.sort(benign); // ascending: the (k+1)-th highest is benign[n - 1 - allowed]
        long allowed = (long) Math.floor(targetFpr * n + 1e-9);
        if (allowed >= n) return 0;
        return Math.nextUp(benign[(int) (n - 1 - allowed)]);
    }

    /**
     * A threshold that flags at most {@code targetFpr} of the benign flows, placed between the benign flows and the
     * attacks: in the middle (in log-odds) between the lowest threshold allowed ({@link #thresholdForFpr}) and the
     * threshold of highest F1 among those allowed. The lowest allowed threshold sits right above the benign flows
     * and the F1-best one right below the attacks; on a network unlike the validation one either class shifts, so
     * the middle of the gap leaves room on both sides. The lowest allowed threshold when no higher one is better.
     */
    public static double marginThresholdForFpr(float[] scores, int[] labels, double targetFpr) {
        double low = thresholdForFpr(scores, labels, targetFpr);
        double high = bestThreshold(scores, labels, low);
        if (!(high > low)) return low;
        double mid = (logit(low) + logit(high)) / 2;
        return Math.min(Math.max(1 / (1 + Math.exp(-mid)), low), high); // rounding at the extremes stays in the gap
    }

    private static double logit(double p) {
        double q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        return Math.log(q / (1 - q));
    }

    /** The detection rate at the threshold that flags at most {@code fpr} of these benign flows (a ROC read-off). */
    public static double detectionRateAtFpr(float[] scores, int[] labels, double fpr) {
        double threshold = thresholdForFpr(scores, labels, fpr);
        long attacks = 0, detected = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 1) continue;
            attacks++;
            if (scores[i] >= threshold) detected++;
        }
        return attacks == 0 ? Double.NaN : (double) detected / attacks;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** The labelled edges sorted by descending score. */
    private record Ranked(int n, float[] scores, int[] labels, long positives) {

        static Ranked of(float[] scores, int[] labels) {
            int n = 0;
            for (int l : labels) if (l >= 0) n++;
            long[] keyed = new long[n];
            int k = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= 0) keyed[k++] = ((long) sortableDescending(scores[i]) << 32) | i;
            }
            Arrays.sort(keyed);
            float[] s = new float[n];
            int[] l = new int[n];
            long positives = 0;
            for (int j = 0; j < n; j++) {
                int i = (int) keyed[j];
                s[j] = scores[i];
                l[j] = labels[i] == 1 ? 1 : 0;
                positives += l[j];
            }
            return new Ranked(n, s, l, positives);
        }

        /** An int whose ascending order is the floats' descending order (NaN last). */
        private static int sortableDescending(float f) {
            int bits = Float.floatToIntBits(Float.isNaN(f) ? Float.NEGATIVE_INFINITY : f);
            int asc = bits ^ ((bits >> 31) & 0x7FFF_FFFF);
            return ~asc;
        }

        /** Mann-Whitney U over tie groups: an attack tied with a benign flow counts one half. */
        double rocAuc() {
            long negatives = n - positives;
            if (positives == 0 || negatives == 0) return Double.NaN;
            double wins = 0;
            long negativesBelow = negatives;
            int i = 0;
            while (i < n) {
                long pos = 0, neg = 0;
                float s = scores[i];
                for (; i < n && scores[i] == s; i++) {
                    if (labels[i] == 1) pos++;
                    else neg++;
                }
                negativesBelow -= neg;
                wins += pos * (negativesBelow + neg / 2.0);
            }
            return wins / ((double) positives * negatives);
        }

        /** Sum over distinct scores (descending) of (recall gained) x (precision at that score). */
        double averagePrecision() {
            if (positives == 0 || positives == n) return positives == 0 ? Double.NaN : 1.0;
            double ap = 0;
            long tp = 0, seen = 0;
            int i = 0;
            while (i < n) {
                long pos = 0;
                float s = scores[i];
                for (; i < n && scores[i] == s; i++) {
                    pos += labels[i];
                    seen++;
                }
                tp += pos;
                ap += (double) pos / positives * ((double) tp / seen);
            }
            return ap;
        }
    }
}
