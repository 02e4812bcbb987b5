package io.gnnnids.core.model;

import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureGroups;
import io.gnnnids.core.graph.FeatureSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Training augmentation: at each step, a share of the benign flows take one trait from another benign flow of the
 * same batch: what it was (protocol, service and responder port), how it ended (connection state and TCP history),
 * its volume (bytes, packets, duration), or its conversation with the peer (its count, spacing and regularity).
 *
 * <p>A model trained on generated networks learns every benign flow it saw and calls much of the rest an attack:
 * a real network's device speaking a known protocol on its own port, or with its own sizes, is a combination of
 * familiar traits it never saw together. Mixed benign flows teach that a new combination of benign traits is still
 * benign, so what flags a flow is a trait of an attack, not novelty. The flow's endpoints and their features stay as
 * they were (a flood's source still floods). Measured on generated networks whose benign kinds the training
 * networks lack (`UnfamiliarBenignBenchmark`, docs/benchmarks.md).
 */
final class BenignMix implements UnaryOperator<EdgeGraph> {
    private final double share;
    private final Random random;
    /** Edge-feature columns of each trait. */
    private final List<int[]> traits = new ArrayList<>();

    BenignMix(FeatureSpec spec, double share, long seed) {
        this.share = share;
        // A stream of its own: the seed also draws the initial weights and the order of the windows.
        this.random = new Random(seed ^ 0x5eed);
        Map<String, List<Integer>> columns = new LinkedHashMap<>();
        for (FeatureGroups.Group g : FeatureGroups.of(spec)) {
            String trait = g.sourceNode() ? null : traitOf(g.name());
            if (trait == null) continue;
            for (int c : g.columns())
                columns.computeIfAbsent(trait, t -> new ArrayList<>()).add(c);
        }
        columns.values()
                .forEach(c -> traits.add(c.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The trait a group of the flow's own features belongs to; null for those left as they are (inside/outside). */
    static String traitOf(String group) {
        return switch (group) {
            case "protocol", "service", "responder port" -> "what";
            case "connection state", "TCP history" -> "ending";
            case "bytes, packets and duration" -> "volume";
            case "conversation with this peer", "timing of the conversation" -> "conversation";
            default -> null;
        };
    }

    /** A copy of the graph with a share of its scored benign edges mixed; the graph itself is left as it is. */
    @Override
    public EdgeGraph apply(EdgeGraph g) {
        if (g.labels() == null || share == 0) return g;
        int[] benign = new int[g.edges()];
        int n = 0;
        for (int i = 0; i < g.edges(); i++) if (g.labels()[i] == 0 && g.isScored(i)) benign[n++] = i;
        if (n < 2) return g;
        float[] original = g.edgeFeatures();
        float[] mixed = original.clone();
        int dim = g.edgeDim();
        for (int k = 0; k < n; k++) {
            if (random.nextDouble() >= share) continue;
            int edge = benign[k];
            int donor = benign[random.nextInt(n)];
            for (int c : traits.get(random.nextInt(traits.size()))) mixed[edge * dim + c] = original[donor * dim + c];
        }
        return new EdgeGraph(
                g.nodes(),
                g.edges(),
                g.nodeFeatures(),
                g.nodeDim(),
                mixed,
                dim,
                g.src(),
                g.dst(),
                g.labels(),
                g.scored());
    }
}
