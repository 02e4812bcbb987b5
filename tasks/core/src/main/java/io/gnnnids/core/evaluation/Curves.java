package io.gnnnids.core.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ROC and precision-recall curves of attack scores against ground truth (labels 1 attack, 0 benign, -1 ignored),
 * one point per distinct score from the highest down, thinned to at most {@link #MAX_POINTS} points for reports.
 */
public final class Curves {
    /** Most points of a curve in a report: enough to draw it, small enough to keep the JSON and HTML light. */
    public static final int MAX_POINTS = 200;

    /** One point: x is the false-positive rate (ROC) or the detection rate (PR), y the detection rate or precision. */
    public record Point(double x, double y) {}

    /** Both curves of one set of scores; empty when the labels lack attacks or benign flows. */
    public record Pair(List<Point> roc, List<Point> pr) {
        static final Pair EMPTY = new Pair(List.of(), List.of());
    }

    private Curves() {}

    public static Pair of(float[] scores, int[] labels) {
        float[] attacks = scoresOf(scores, labels, 1);
        float[] benign = scoresOf(scores, labels, 0);
        int p = attacks.length;
        int n = benign.length;
        if (p == 0 || n == 0) return Pair.EMPTY;
        List<Point> roc = new ArrayList<>();
        List<Point> pr = new ArrayList<>();
        roc.add(new Point(0, 0));
        // Both arrays ascending: walk them from the top, one distinct score (threshold) at a time.
        int a = p - 1;
        int b = n - 1;
        long tp = 0;
        long fp = 0;
        while (a >= 0 || b >= 0) {
            float t = b < 0 || (a >= 0 && attacks[a] >= benign[b]) ? attacks[a] : benign[b];
            for (; a >= 0 && attacks[a] == t; a--) tp++;
            for (; b >= 0 && benign[b] == t; b--) fp++;
            roc.add(new Point((double) fp / n, (double) tp / p));
            pr.add(new Point((double) tp / p, (double) tp / (tp + fp)));
        }
        return new Pair(thin(roc, MAX_POINTS), thin(pr, MAX_POINTS));
    }

    /**
     * At most {@code max} of the points, first and last kept. A point is kept once it lies far enough (in x + y)
     * from the last one kept: a monotone curve in the unit square is at most 2 long, so this keeps the shape where
     * the curve turns and drops the crowded stretches. What is still over {@code max} is picked evenly.
     */
    static List<Point> thin(List<Point> points, int max) {
        if (points.size() <= max) return points;
        double step = 2.0 / (max - 2);
        List<Point> kept = new ArrayList<>();
        Point last = points.get(0);
        kept.add(last);
        for (int i = 1; i < points.size() - 1; i++) {
            Point q = points.get(i);
            if (Math.abs(q.x() - last.x()) + Math.abs(q.y() - last.y()) >= step) {
                kept.add(q);
                last = q;
            }
        }
        kept.add(points.get(points.size() - 1));
        if (kept.size() <= max) return kept;
        List<Point> even = new ArrayList<>(max);
        for (int i = 0; i < max; i++) even.add(kept.get((int) Math.round(i * (kept.size() - 1) / (double) (max - 1))));
        return even;
    }

    /** The scores of one class, ascending; NaN counts as 0 (as Metrics reads it). */
    private static float[] scoresOf(float[] scores, int[] labels, int label) {
        int n = 0;
        for (int l : labels) if (l == label) n++;
        float[] out = new float[n];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) out[k++] = Float.isNaN(scores[i]) ? 0 : scores[i];
        }
        Arrays.sort(out);
        return out;
    }
}
