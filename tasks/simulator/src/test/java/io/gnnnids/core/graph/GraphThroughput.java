package io.gnnnids.core.graph;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.TrafficGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph build throughput on generated flows already in memory: one graph of all flows, and 10-minute windows.
 * Run by hand: {@code java -cp ... io.gnnnids.core.graph.GraphThroughput [flows] [rounds]}.
 */
public final class GraphThroughput {

    private static final Logger LOG = LoggerFactory.getLogger(GraphThroughput.class);
    /** CPU time of this thread: the machine is shared, so wall time alone says little. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private GraphThroughput() {}

    public static void main(String[] args) {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<Flow> all = new ArrayList<>(flows);
        new TrafficGenerator(GeneratorOptions.withDefaults(
                        flows, null, null, Instant.parse("2024-05-01T00:00:00Z"), null, 1L, Clock.systemUTC()))
                .forEachRemaining(all::add);
        List<List<Flow>> windows =
                GraphWindows.byWindow(all.iterator(), GraphWindows.DEFAULT_WINDOW, GraphWindows.DEFAULT_MAX_EDGES);
        for (NodeKey key : NodeKey.values()) {
            FeatureSpec spec = GraphBuilder.fit(windows, key, 12);
            GraphBuilder builder = new GraphBuilder(spec);
            for (int r = 0; r < rounds; r++) {
                long c0 = CPU.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                EdgeGraph g = builder.build(all);
                long t1 = System.nanoTime();
                long c1 = CPU.getCurrentThreadCpuTime();
                long edges = 0;
                for (List<Flow> w : windows) edges += builder.build(w).edges();
                long t2 = System.nanoTime();
                LOG.info(
                        "{} round {}: one graph {} flows ({} nodes) {} flows/s ({} per CPU second); {} windows {} flows/s",
                        key,
                        r,
                        g.edges(),
                        g.nodes(),
                        String.format("%,.0f", flows / ((t1 - t0) / 1e9)),
                        String.format("%,.0f", flows / ((c1 - c0) / 1e9)),
                        windows.size(),
                        String.format("%,.0f", edges / ((t2 - t1) / 1e9)));
            }
        }
    }
}
