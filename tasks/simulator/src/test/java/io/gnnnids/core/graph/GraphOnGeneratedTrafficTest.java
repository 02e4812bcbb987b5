package io.gnnnids.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.TrafficGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Graph building on generated networks: invariances and the fitted scaling, over realistic traffic. */
class GraphOnGeneratedTrafficTest {

    static List<Flow> generated(long flows, long seed) {
        List<Flow> out = new ArrayList<>();
        new TrafficGenerator(GeneratorOptions.withDefaults(
                        flows, 50, 1, Instant.parse("2024-05-01T00:00:00Z"), 0.2, seed, Clock.systemUTC()))
                .forEachRemaining(out::add);
        return out;
    }

    @Test
    void renamingAddressesAndShiftingTimeChangesNothing() {
        List<Flow> flows = generated(3_000, 5);
        FeatureSpec spec = GraphBuilder.fit(List.of(flows), NodeKey.IP, 12);
        List<String> addresses = new ArrayList<>(new LinkedHashSet<>(
                flows.stream().flatMap(f -> Stream.of(f.origH(), f.respH())).toList()));
        List<String> shuffled = new ArrayList<>(addresses);
        Collections.shuffle(shuffled, new Random(3));
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < addresses.size(); i++) rename.put(addresses.get(i), shuffled.get(i));
        // A year keeps ts in the same power-of-two range, so every time difference stays exact.
        double shift = 365 * 86_400.0;
        List<Flow> moved = flows.stream()
                .map(f -> new Flow(
                        f.ts() + shift,
                        "X" + f.uid(),
                        rename.get(f.origH()),
                        f.origP() ^ 1,
                        rename.get(f.respH()),
                        f.respP(),
                        f.proto(),
                        f.service(),
                        f.duration(),
                        f.origBytes(),
                        f.respBytes(),
                        f.connState(),
                        f.localOrig(),
                        f.localResp(),
                        f.missedBytes(),
                        f.history(),
                        f.origPkts(),
                        f.origIpBytes(),
                        f.respPkts(),
                        f.respIpBytes(),
                        f.label(),
                        f.detailedLabel()))
                .toList();

        for (NodeKey key : NodeKey.values()) {
            GraphBuilder builder = new GraphBuilder(FeatureSpec.unscaled(key, spec.services()));
            EdgeGraph a = builder.build(flows);
            EdgeGraph b = builder.build(moved);
            assertEquals(a.nodes(), b.nodes());
            assertArrayEquals(a.src(), b.src());
            assertArrayEquals(a.dst(), b.dst());
            assertArrayEquals(a.labels(), b.labels());
            assertArrayEquals(a.edgeFeatures(), b.edgeFeatures());
            assertArrayEquals(a.nodeFeatures(), b.nodeFeatures());
        }
    }

    @Test
    void fittedScalingCentresTrainingFeatures() {
        List<Flow> flows = generated(20_000, 7);
        List<List<Flow>> windows = GraphWindows.byWindow(flows.iterator(), GraphWindows.DEFAULT_WINDOW, 100_000);
        FeatureSpec spec = GraphBuilder.fit(windows, NodeKey.IP, 12);
        GraphBuilder builder = new GraphBuilder(spec);
        double[] sum = new double[2], sq = new double[2];
        long n = 0;
        int[] columns = {
            spec.edgeFeatures().indexOf("log_orig_bytes"), spec.edgeFeatures().indexOf("log_duration_ms")
        };
        for (List<Flow> w : windows) {
            EdgeGraph g = builder.build(w);
            for (int e = 0; e < g.edges(); e++, n++) {
                for (int k = 0; k < 2; k++) {
                    float v = g.edgeFeatures()[e * g.edgeDim() + columns[k]];
                    sum[k] += v;
                    sq[k] += v * v;
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            double mean = sum[k] / n;
            assertEquals(0, mean, 1e-3);
            assertEquals(1, Math.sqrt(sq[k] / n - mean * mean), 1e-3);
        }
        assertTrue(spec.services().size() <= 12 && !spec.services().isEmpty());
    }

    @Test
    void specSurvivesJsonAndRebuildsIdenticalFeatures() {
        List<Flow> flows = generated(5_000, 9);
        FeatureSpec spec = GraphBuilder.fit(List.of(flows), NodeKey.IP_PORT, 5);
        FeatureSpec back = FeatureSpec.fromJson(spec.toJson());
        assertEquals(spec, back);
        assertEquals(spec, FeatureSpec.fromJson(spec.toJsonString()));
        EdgeGraph a = new GraphBuilder(spec).build(flows);
        EdgeGraph b = new GraphBuilder(back).build(flows);
        assertArrayEquals(a.edgeFeatures(), b.edgeFeatures());
        assertArrayEquals(a.nodeFeatures(), b.nodeFeatures());
    }
}
