package io.gnnnids.core.graph;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.testing.Bench;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.TrafficGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Graph building on 200,000 generated flows already in memory, for each node key: one graph of all flows, and
 * the same flows in 10-minute windows as training and inference cut them. The best of five rounds, in flows/s:
 * {@code bench.graph.<key>.one_graph_flows_per_s} and {@code .windows_flows_per_s}.
 */
@Tag("bench")
class GraphBenchmark {
    private static final int FLOWS = 200_000;
    private static final int ROUNDS = 5;

    @Test
    void buildGraphs() {
        List<Flow> all = new ArrayList<>(FLOWS);
        new TrafficGenerator(GeneratorOptions.withDefaults(
                        FLOWS, null, null, Instant.parse("2024-05-01T00:00:00Z"), null, 1L, Clock.systemUTC()))
                .forEachRemaining(all::add);
        List<List<Flow>> windows =
                GraphWindows.byWindow(all.iterator(), GraphWindows.DEFAULT_WINDOW, GraphWindows.DEFAULT_MAX_EDGES);
        for (NodeKey key : NodeKey.values()) {
            GraphBuilder builder = new GraphBuilder(GraphBuilder.fit(windows, key, GraphBuilder.DEFAULT_TOP_SERVICES));
            double one = 0, windowed = 0;
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                builder.build(all);
                one = Math.max(one, Bench.perSecond(all.size(), t0));
                long t1 = System.nanoTime();
                long edges = 0;
                for (List<Flow> w : windows) edges += builder.build(w).edges();
                windowed = Math.max(windowed, Bench.perSecond(edges, t1));
            }
            String name = "bench.graph." + key.name().toLowerCase();
            Bench.print(name + ".one_graph_flows_per_s", one, "flows/s");
            Bench.print(name + ".windows_flows_per_s", windowed, "flows/s");
        }
    }
}
