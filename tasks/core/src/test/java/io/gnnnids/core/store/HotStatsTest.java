package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HotStatsTest extends HotStoreFixture {

    private static final Duration WINDOW = Duration.ofHours(1);
    /** The start of an hour: the flows below fall in it. */
    private static final double HOUR = 1_699_999_200;

    /**
     * Three attacks from two sources (labelled port scans, named DDoS twice and Okiru once), a benign flow scored
     * 0.25 and one flow waiting for a prediction.
     */
    private HotStore filled() throws Exception {
        HotStore hot = open();
        List<Flow> flows = List.of(
                TestFlows.flow("A1", HOUR + 1, 5),
                TestFlows.flow("A2", HOUR + 2, 5),
                TestFlows.flow("A3", HOUR + 3, 10),
                TestFlows.flow("B1", HOUR + 4, 1),
                TestFlows.flow("U1", HOUR + 5, 2));
        HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
        HotPredictions.write(
                hot,
                List.of("A1", "A2", "A3"),
                new float[] {1f, 1f, 1f},
                0.5,
                "7",
                new String[] {"DDoS", "DDoS", "Okiru"},
                new String[] {reason("fan-out"), reason("fan-out"), reason("ports")});
        TestFlows.predict(hot, 0.25f, "B1");
        return hot;
    }

    private static String reason(String group) {
        return "{\"reasons\":[{\"group\":\"" + group + "\"}]}";
    }

    @Test
    void measuresTheBacklogAndWhatWasFlaggedInTheWindow() throws Exception {
        try (HotStore hot = filled()) {
            HotStats.Progress p = HotStats.progress(hot, WINDOW);
            assertEquals(List.of(5L, 1L, 5L), List.of(p.flows(), p.unscored(), p.ingestedInWindow()));
            assertNotNull(p.oldestUnscoredAgeSeconds());
            assertTrue(p.oldestUnscoredAgeSeconds() >= 0 && p.oldestUnscoredAgeSeconds() < 3600, p.toString());
            assertNotNull(p.lastIngestedAgeSeconds());
            assertNotNull(p.lastPredictedAgeSeconds());

            assertEquals(new HotStats.Scored(4, 3), HotStats.scored(hot, WINDOW));
            assertEquals(Map.of("PartOfAHorizontalPortScan", 3L), HotStats.attacksByLabel(hot, WINDOW));
            assertEquals(
                    List.of(new HotStats.Source("192.168.1.5", 2, 1, 1), new HotStats.Source("192.168.1.10", 1, 1, 1)),
                    HotStats.topSources(hot, WINDOW, 10));
            assertEquals(List.of(new HotStats.Source("192.168.1.5", 2, 1, 1)), HotStats.topSources(hot, WINDOW, 1));
            assertEquals(
                    List.of(new HotStats.Target("10.0.0.5", 82, 2, 1), new HotStats.Target("10.0.0.3", 81, 1, 1)),
                    HotStats.topTargets(hot, WINDOW, 10));
            assertEquals(Map.of("7", 4L), HotStats.modelVersions(hot, WINDOW));
        }
    }

    @Test
    void drawsTheDetectionsByHourScoreFamilyNameAndReason() throws Exception {
        try (HotStore hot = filled()) {
            assertEquals(List.of(new HotStats.Hour((long) HOUR, "7", 4, 3)), HotStats.lastDayByHour(hot));
            long[] bins = new long[20];
            bins[5] = 1; // 0.25
            bins[19] = 3; // a score of 1 falls in the last bin
            assertArrayEquals(bins, HotStats.scoreBins(hot, WINDOW, 20));
            assertEquals(
                    List.of(
                            new HotStats.Family("PartOfAHorizontalPortScan", true, 3, 3),
                            new HotStats.Family("benign", false, 1, 0)),
                    HotStats.families(hot, WINDOW));
            assertEquals(
                    List.of(new HotStats.Count("DDoS", 2), new HotStats.Count("Okiru", 1)),
                    HotStats.flaggedFamilies(hot, WINDOW));
            assertEquals(
                    List.of(new HotStats.Count("fan-out", 2), new HotStats.Count("ports", 1)),
                    HotStats.flaggedReasons(hot, WINDOW));
        }
    }

    @Test
    void predictionsBeforeTheWindowAreLeftOut() throws Exception {
        try (HotStore hot = filled();
                Statement st = hot.connection().createStatement()) {
            st.execute("UPDATE flows SET predicted_at = predicted_at - INTERVAL 2 HOUR WHERE uid = 'A3'");
            assertEquals(new HotStats.Scored(3, 2), HotStats.scored(hot, WINDOW));
            assertEquals(List.of(new HotStats.Source("192.168.1.5", 2, 1, 1)), HotStats.topSources(hot, WINDOW, 10));
            assertEquals(List.of(new HotStats.Count("DDoS", 2)), HotStats.flaggedFamilies(hot, WINDOW));
            assertEquals(1, HotStats.lastDayByHour(hot).size(), "the hours go by flow time, not by the window");
        }
    }

    @Test
    void anEmptyStoreHasNothingToMeasure() throws Exception {
        try (HotStore hot = open()) {
            assertEquals(new HotStats.Progress(0, 0, null, null, 0, null), HotStats.progress(hot, WINDOW));
            assertEquals(new HotStats.Scored(0, 0), HotStats.scored(hot, WINDOW));
            assertTrue(HotStats.topSources(hot, WINDOW, 10).isEmpty());
            assertTrue(HotStats.lastDayByHour(hot).isEmpty());
            assertArrayEquals(new long[20], HotStats.scoreBins(hot, WINDOW, 20));
        }
    }

    @Test
    void aFileWithoutTheColumnsQueriedSaysWhatCouldNotBeRead() throws Exception {
        try (HotStore hot = filled();
                Statement st = hot.connection().createStatement()) {
            st.execute("ALTER TABLE flows DROP COLUMN predicted_family");
            st.execute("ALTER TABLE flows DROP COLUMN predicted_at");
            StepFailure activity = assertThrows(StepFailure.class, () -> HotStats.scored(hot, WINDOW));
            assertTrue(
                    activity.getMessage().startsWith("cannot read the activity of the hot store " + hot.file()),
                    activity.getMessage());
            StepFailure detections = assertThrows(StepFailure.class, () -> HotStats.flaggedFamilies(hot, WINDOW));
            assertTrue(
                    detections.getMessage().startsWith("cannot read the detections of " + hot.file()),
                    detections.getMessage());
        }
    }
}
