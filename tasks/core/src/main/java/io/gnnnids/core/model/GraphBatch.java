package io.gnnnids.core.model;

import io.gnnnids.core.graph.EdgeGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several window graphs as one: their disjoint union, node indices of each part offset past the nodes of the
 * parts before it. No edge joins two parts, so the sparse mean-aggregation matrices of the union are
 * block-diagonal and every part's edges get exactly the aggregates they would get alone; one forward pass (or one
 * optimiser step) then covers many small windows. The engine's cost per operation, not per edge, dominates small
 * windows: a 10-minute window of a few hundred hosts has a few hundred flows.
 *
 * @param graph       the union: the edges of part 0, then those of part 1, ...
 * @param edgeOffsets where each part's edges start in the union, plus the total at the end
 */
record GraphBatch(EdgeGraph graph, int[] edgeOffsets) {

    /** The union of {@code parts}, which must share their feature dimensions. */
    static GraphBatch of(List<EdgeGraph> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("a batch needs at least one graph");
        if (parts.size() == 1)
            return new GraphBatch(parts.get(0), new int[] {0, parts.get(0).edges()});
        EdgeGraph first = parts.get(0);
        int nodeDim = first.nodeDim();
        int edgeDim = first.edgeDim();
        long nodes = 0;
        long edges = 0;
        boolean labelled = false;
        boolean partlyScored = false;
        for (EdgeGraph g : parts) {
            if (g.nodeDim() != nodeDim || g.edgeDim() != edgeDim) {
                throw new IllegalArgumentException("graphs of one batch must have the same feature dimensions");
            }
            nodes += g.nodes();
            edges += g.edges();
            labelled |= g.labels() != null;
            partlyScored |= g.scored() != null;
        }
        if (edges > Integer.MAX_VALUE / Math.max(1, edgeDim) || nodes > Integer.MAX_VALUE / Math.max(1, nodeDim)) {
            throw new IllegalArgumentException(
                    "a batch of " + edges + " edges is too large: use fewer edges per batch");
        }
        float[] nodeFeatures = new float[(int) nodes * nodeDim];
        float[] edgeFeatures = new float[(int) edges * edgeDim];
        int[] src = new int[(int) edges];
        int[] dst = new int[(int) edges];
        int[] labels = labelled ? new int[(int) edges] : null;
        boolean[] scored = partlyScored ? new boolean[(int) edges] : null;
        int[] edgeOffsets = new int[parts.size() + 1];
        int n = 0;
        int e = 0;
        for (int p = 0; p < parts.size(); p++) {
            EdgeGraph g = parts.get(p);
            edgeOffsets[p] = e;
            System.arraycopy(g.nodeFeatures(), 0, nodeFeatures, n * nodeDim, g.nodes() * nodeDim);
            System.arraycopy(g.edgeFeatures(), 0, edgeFeatures, e * edgeDim, g.edges() * edgeDim);
            for (int i = 0; i < g.edges(); i++) {
                src[e + i] = g.src()[i] + n;
                dst[e + i] = g.dst()[i] + n;
            }
            if (labels != null) {
                if (g.labels() != null) System.arraycopy(g.labels(), 0, labels, e, g.edges());
                else Arrays.fill(labels, e, e + g.edges(), -1);
            }
            if (scored != null) {
                if (g.scored() != null) System.arraycopy(g.scored(), 0, scored, e, g.edges());
                else Arrays.fill(scored, e, e + g.edges(), true);
            }
            n += g.nodes();
            e += g.edges();
        }
        edgeOffsets[parts.size()] = e;
        return new GraphBatch(
                new EdgeGraph(n, e, nodeFeatures, nodeDim, edgeFeatures, edgeDim, src, dst, labels, scored),
                edgeOffsets);
    }

    /** How many graphs the batch holds. */
    int parts() {
        return edgeOffsets.length - 1;
    }

    /** Per-edge values of the union (e.g. scores) cut back into one array per part, in part order. */
    List<float[]> split(float[] perEdge) {
        List<float[]> out = new ArrayList<>(parts());
        for (int p = 0; p < parts(); p++) out.add(Arrays.copyOfRange(perEdge, edgeOffsets[p], edgeOffsets[p + 1]));
        return out;
    }

    /**
     * Consecutive runs of {@code graphs}, each as long as it stays within {@code maxEdges} edges in total (a graph
     * larger than that alone forms a run). Order is kept: concatenating the runs gives {@code graphs}.
     */
    static List<List<EdgeGraph>> group(List<EdgeGraph> graphs, int maxEdges) {
        List<List<EdgeGraph>> runs = new ArrayList<>();
        List<EdgeGraph> run = new ArrayList<>();
        long edges = 0;
        for (EdgeGraph g : graphs) {
            if (!run.isEmpty() && edges + g.edges() > maxEdges) {
                runs.add(run);
                run = new ArrayList<>();
                edges = 0;
            }
            run.add(g);
            edges += g.edges();
        }
        if (!run.isEmpty()) runs.add(run);
        return runs;
    }
}
