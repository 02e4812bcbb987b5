package io.gnnnids.core.graph;

import static io.gnnnids.core.graph.FlowMaker.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gnnnids.core.flow.Flow;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphWindowsTest {

    private static List<Double> times(List<Flow> window) {
        return window.stream().map(Flow::ts).toList();
    }

    private static List<Flow> at(double... ts) {
        return Arrays.stream(ts).mapToObj(t -> flow().at(t).make()).toList();
    }

    @Test
    void windowsAreAlignedToTheEpoch() {
        List<List<Flow>> w =
                GraphWindows.byWindow(at(1_200, 1_500, 1_799.9, 1_800, 3_700).iterator(), Duration.ofMinutes(10), 100);
        assertEquals(3, w.size());
        assertEquals(List.of(1_200.0, 1_500.0, 1_799.9), times(w.get(0)));
        assertEquals(List.of(1_800.0), times(w.get(1)));
        assertEquals(List.of(3_700.0), times(w.get(2)));
    }

    @Test
    void crowdedWindowIsSplitAtMaxEdges() {
        List<List<Flow>> w = GraphWindows.byWindow(at(0, 1, 2, 3, 4, 700).iterator(), Duration.ofMinutes(10), 2);
        assertEquals(List.of(2, 2, 1, 1), w.stream().map(List::size).toList());
        assertEquals(List.of(4.0), times(w.get(2)));
    }

    @Test
    void lateFlowJoinsTheCurrentWindow() {
        List<List<Flow>> w = GraphWindows.byWindow(at(590, 610, 599, 620).iterator(), Duration.ofMinutes(10), 100);
        assertEquals(
                List.of(List.of(590.0), List.of(610.0, 599.0, 620.0)),
                w.stream().map(GraphWindowsTest::times).toList());
    }

    @Test
    void emptyStreamHasNoWindowsAndBadSettingsAreRefused() {
        assertEquals(List.of(), GraphWindows.byWindow(Collections.emptyIterator(), Duration.ofMinutes(5), 10));
        assertThrows(IllegalArgumentException.class, () -> GraphWindows.byWindow(at(1).iterator(), Duration.ZERO, 10));
        assertThrows(
                IllegalArgumentException.class,
                () -> GraphWindows.byWindow(at(1).iterator(), Duration.ofMinutes(1), 0));
    }
}
