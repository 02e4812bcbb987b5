package io.gnnnids.core.graph;

/**
 * A flow graph ready for the model: nodes are endpoints, every flow is a directed edge {@code src[i] -> dst[i]}.
 * Features are scaled, row-major float matrices ({@code nodes x nodeDim}, {@code edges x edgeDim}).
 *
 * @param labels per edge 1 = attack, 0 = benign, -1 = unknown; null when the graph carries no ground truth
 * @param scored per edge true when the edge is to be scored (false for context edges that only shape the graph);
 *               null means every edge is scored
 */
public record EdgeGraph(
        int nodes,
        int edges,
        float[] nodeFeatures,
        int nodeDim,
        float[] edgeFeatures,
        int edgeDim,
        int[] src,
        int[] dst,
        int[] labels,
        boolean[] scored) {

    public EdgeGraph {
        if (nodeFeatures.length != (long) nodes * nodeDim)
            throw new IllegalArgumentException("node features are not nodes x nodeDim");
        if (edgeFeatures.length != (long) edges * edgeDim)
            throw new IllegalArgumentException("edge features are not edges x edgeDim");
        if (src.length != edges || dst.length != edges)
            throw new IllegalArgumentException("src/dst length differs from edges");
        if (labels != null && labels.length != edges)
            throw new IllegalArgumentException("labels length differs from edges");
        if (scored != null && scored.length != edges)
            throw new IllegalArgumentException("scored length differs from edges");
    }

    /** Whether edge {@code i} is to be scored (and, when labelled, learnt from) rather than context only. */
    public boolean isScored(int i) {
        return scored == null || scored[i];
    }
}
