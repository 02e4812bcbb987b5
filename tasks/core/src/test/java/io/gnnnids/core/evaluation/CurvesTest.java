package io.gnnnids.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CurvesTest {

    @Test
    void aPerfectRankingGoesStraightUpThenAcross() {
        Curves.Pair c = Curves.of(new float[] {0.9f, 0.8f, 0.2f, 0.1f}, new int[] {1, 1, 0, 0});
        assertEquals(
                List.of(
                        new Curves.Point(0, 0),
                        new Curves.Point(0, 0.5),
                        new Curves.Point(0, 1),
                        new Curves.Point(0.5, 1),
                        new Curves.Point(1, 1)),
                c.roc());
        assertEquals(new Curves.Point(1, 1), c.pr().get(1), "every attack found before any benign flow");
        assertEquals(
                new Curves.Point(1, 0.5), c.pr().get(c.pr().size() - 1), "at the lowest score, everything is flagged");
    }

    @Test
    void tiedScoresMakeOnePointAndUnlabelledFlowsAreIgnored() {
        Curves.Pair c = Curves.of(new float[] {0.5f, 0.5f, 0.5f, 0.9f}, new int[] {1, 0, -1, -1});
        assertEquals(List.of(new Curves.Point(0, 0), new Curves.Point(1, 1)), c.roc());
        assertEquals(List.of(new Curves.Point(1, 0.5)), c.pr());
    }

    @Test
    void oneClassOnlyHasNoCurve() {
        assertTrue(Curves.of(new float[] {0.1f, 0.7f}, new int[] {0, 0}).roc().isEmpty());
        assertTrue(Curves.of(new float[] {0.1f, 0.7f}, new int[] {1, 1}).pr().isEmpty());
    }

    @Test
    void largeCurvesAreThinnedToAtMost200MonotonePointsKeepingTheEnds() {
        Random random = new Random(3);
        int n = 50_000;
        float[] scores = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
            scores[i] = (float) Math.min(1, Math.max(0, random.nextGaussian() * 0.2 + (labels[i] == 1 ? 0.7 : 0.3)));
        }
        Curves.Pair c = Curves.of(scores, labels);
        assertTrue(
                c.roc().size() <= Curves.MAX_POINTS && c.roc().size() > 50,
                "ROC points: " + c.roc().size());
        assertTrue(c.pr().size() <= Curves.MAX_POINTS && c.pr().size() > 50, "PR points: " + c.pr().size());
        assertEquals(new Curves.Point(0, 0), c.roc().get(0));
        assertEquals(new Curves.Point(1, 1), c.roc().get(c.roc().size() - 1));
        for (int i = 1; i < c.roc().size(); i++) {
            assertTrue(
                    c.roc().get(i).x() >= c.roc().get(i - 1).x()
                            && c.roc().get(i).y() >= c.roc().get(i - 1).y(),
                    "ROC is monotone at " + i);
        }
        for (int i = 1; i < c.pr().size(); i++) {
            assertTrue(c.pr().get(i).x() >= c.pr().get(i - 1).x(), "recall only grows, at " + i);
        }
        assertEquals(1.0, c.pr().get(c.pr().size() - 1).x());
    }

    @Test
    void thinningKeepsShortCurvesAsTheyAre() {
        List<Curves.Point> points = new ArrayList<>();
        for (int i = 0; i < 10; i++) points.add(new Curves.Point(i / 9.0, i / 9.0));
        assertEquals(points, Curves.thin(points, 200));
        List<Curves.Point> zigzag = new ArrayList<>();
        for (int i = 0; i < 5000; i++) zigzag.add(new Curves.Point(i / 4999.0, i % 2));
        List<Curves.Point> thinned = Curves.thin(zigzag, 200);
        assertEquals(200, thinned.size(), "a curve longer than 2 is picked evenly");
        assertEquals(zigzag.get(0), thinned.get(0));
        assertEquals(zigzag.get(4999), thinned.get(199));
    }
}
