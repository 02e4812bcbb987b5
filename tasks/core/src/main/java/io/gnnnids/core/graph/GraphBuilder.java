package io.gnnnids.core.graph;

import io.gnnnids.core.flow.Flow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the flows of one window into a scaled {@link EdgeGraph}: endpoints become nodes (see {@link NodeKey}),
 * every flow an edge originator -> responder with its {@link EdgeFeatures} and {@link PairFeatures}, every node its
 * {@link NodeFeatures}. Each edge keeps its own features because the model's edge head reads
 * [h_src ; h_dst ; e_uv], not only [h_src ; h_dst]: with node embeddings alone every flow between the same two
 * endpoints in a window would get the same score, and a compromised host's benign flows could not be told from
 * its attacks. Thread-safe: a builder holds only the immutable spec.
 */
public final class GraphBuilder {

    /** Beyond this a window must be split (see {@link GraphWindows}); edge indices must fit in 24 bits. */
    public static final int MAX_EDGES = (1 << 24) - 1;
    /** Services kept by name in the vocabulary; rarer ones share the "other" column. */
    public static final int DEFAULT_TOP_SERVICES = 12;

    private final FeatureSpec spec;
    private final EdgeFeatures edgeFeatures;

    public GraphBuilder(FeatureSpec spec) {
        this.spec = spec;
        this.edgeFeatures = new EdgeFeatures(spec.services());
        if (!edgeNames(edgeFeatures).equals(spec.edgeFeatures())
                || !NodeFeatures.names().equals(spec.nodeFeatures())) {
            throw new IllegalArgumentException("the model's feature layout (version " + spec.version()
                    + ") differs from this build's (version " + FeatureSpec.CURRENT_VERSION
                    + "): retrain the model with this version");
        }
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** A graph in which every flow is an edge to score. */
    public EdgeGraph build(List<Flow> flows) {
        return build(List.of(), flows);
    }

    /**
     * A graph of both lists in which only {@code toScore} is scored: edge {@code i < toScore.size()} is
     * {@code toScore.get(i)}, the context edges follow. Context (e.g. the flows just before the batch) shapes
     * the node features without being scored again.
     */
    public EdgeGraph build(List<Flow> context, List<Flow> toScore) {
        Raw raw = raw(toScore, context);
        spec.edgeScaler().apply(raw.edgeFeatures);
        spec.nodeScaler().apply(raw.nodeFeatures);
        boolean[] scored = null;
        if (!context.isEmpty()) {
            scored = new boolean[raw.edges];
            for (int i = 0; i < toScore.size(); i++) scored[i] = true;
        }
        return new EdgeGraph(
                raw.nodes,
                raw.edges,
                raw.nodeFeatures,
                spec.nodeDim(),
                raw.edgeFeatures,
                spec.edgeDim(),
                raw.src,
                raw.dst,
                raw.labels,
                scored);
    }

    /**
     * Fits the service vocabulary and the scalers on training windows only (two passes: vocabulary, then
     * feature statistics over the graphs built with it).
     */
    public static FeatureSpec fit(Iterable<List<Flow>> trainingWindows, NodeKey key, int topServices) {
        Map<String, Long> counts = new HashMap<>();
        for (List<Flow> window : trainingWindows) {
            for (Flow f : window) {
                String s = EdgeFeatures.serviceOf(f);
                if (s != null) counts.merge(s, 1L, Long::sum);
            }
        }
        FeatureSpec unscaled = FeatureSpec.unscaled(key, EdgeFeatures.fitServices(counts, topServices));
        GraphBuilder builder = new GraphBuilder(unscaled);
        FeatureScaler.Accumulator edges = new FeatureScaler.Accumulator(unscaled.edgeDim());
        FeatureScaler.Accumulator nodes = new FeatureScaler.Accumulator(unscaled.nodeDim());
        for (List<Flow> window : trainingWindows) {
            if (window.isEmpty()) continue;
            Raw raw = builder.raw(window, List.of());
            edges.add(raw.edgeFeatures);
            nodes.add(raw.nodeFeatures);
        }
        return new FeatureSpec(
                FeatureSpec.CURRENT_VERSION,
                key,
                unscaled.services(),
                unscaled.edgeFeatures(),
                unscaled.nodeFeatures(),
                edges.fit(),
                nodes.fit());
    }

    /** Edge feature names: the flow's own, then those of its conversation in the window. */
    static List<String> edgeNames(EdgeFeatures flowFeatures) {
        List<String> names = new ArrayList<>(flowFeatures.names());
        names.addAll(PairFeatures.NAMES);
        return names;
    }

    /** Unscaled features of the graph over {@code first} then {@code second}. */
    Raw raw(List<Flow> first, List<Flow> second) {
        int edges = first.size() + second.size();
        int dim = spec.edgeDim();
        if (edges > MAX_EDGES || (long) edges * dim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a graph of " + edges + " flows is too large for one window"
                    + ": use shorter windows or a lower max edges per window");
        }
        float[] x = new float[edges * dim];
        double[] ts = new double[edges];
        int[] src = new int[edges];
        int[] dst = new int[edges];
        int[] respPort = new int[edges];
        byte[] outcome = new byte[edges];
        int[] labels = new int[edges];
        boolean labelled = false;
        Endpoints endpoints = new Endpoints(spec.nodeKey(), edges);
        int e = 0;
        for (int part = 0; part < 2; part++) {
            for (Flow f : part == 0 ? first : second) {
                src[e] = endpoints.originator(f.origH());
                dst[e] = endpoints.responder(f.respH(), f.respP());
                respPort[e] = f.respP();
                ts[e] = f.ts();
                outcome[e] = NodeFeatures.outcome(f.connState());
                edgeFeatures.write(f, x, e * dim);
                String label = f.label();
                if (label != null) labelled = true;
                labels[e] = Flow.MALICIOUS.equals(label) ? 1 : Flow.BENIGN.equals(label) ? 0 : -1;
                e++;
            }
        }
        int nodes = endpoints.count();
        PairFeatures.compute(nodes, edges, src, dst, respPort, ts, x, dim, edgeFeatures.dim());
        float[] nodeX = NodeFeatures.compute(nodes, edges, src, dst, respPort, outcome, x, dim);
        return new Raw(nodes, edges, nodeX, x, src, dst, labelled ? labels : null);
    }

    record Raw(int nodes, int edges, float[] nodeFeatures, float[] edgeFeatures, int[] src, int[] dst, int[] labels) {}

    /** Dense node ids for endpoint keys; addresses are interned once, address:port pairs kept as primitive keys. */
    private static final class Endpoints {
        private final boolean byPort;
        private final Map<String, Integer> addresses;
        private final LongIntMap addressPorts;
        private int nodes;

        Endpoints(NodeKey key, int edges) {
            byPort = key == NodeKey.IP_PORT;
            addresses = new HashMap<>(Math.max(16, Math.min(edges, 1 << 16)));
            addressPorts = byPort ? new LongIntMap(Math.min(edges, 1 << 16)) : null;
        }

        int originator(String address) {
            return byPort ? node(address, -1) : address(address);
        }

        int responder(String address, int port) {
            return byPort ? node(address, port & 0xFFFF) : address(address);
        }

        int count() {
            return nodes;
        }

        /** The address's id: its node id by address, an index into address:port keys by port. */
        private int address(String a) {
            Integer id = addresses.get(a);
            if (id == null) {
                id = byPort ? addresses.size() : nodes++;
                addresses.put(a, id);
            }
            return id;
        }

        private int node(String a, int port) {
            long key = ((long) address(a) << 17) | (port + 1);
            int id = addressPorts.putIfAbsent(key, nodes);
            return id < 0 ? nodes++ : id;
        }
    }
}
