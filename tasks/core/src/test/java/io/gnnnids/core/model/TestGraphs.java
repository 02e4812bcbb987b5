package io.gnnnids.core.model;

import io.gnnnids.core.graph.EdgeGraph;
import java.util.Random;

/** Random graphs whose edge labels follow from the edge features (or are pure noise). */
final class TestGraphs {

    static final int NODE_DIM = 4;
    static final int EDGE_DIM = 6;

    private TestGraphs() {}

    /** Label 1 when the first two edge features sum above 0.5. */
    static EdgeGraph learnable(Random random, int nodes, int edges) {
        return graph(random, nodes, edges, false);
    }

    /** Labels drawn at random, independent of everything. */
    static EdgeGraph noise(Random random, int nodes, int edges) {
        return graph(random, nodes, edges, true);
    }

    private static EdgeGraph graph(Random random, int nodes, int edges, boolean noise) {
        float[] nodeFeatures = gaussian(random, nodes * NODE_DIM);
        float[] edgeFeatures = gaussian(random, edges * EDGE_DIM);
        int[] src = new int[edges];
        int[] dst = new int[edges];
        int[] labels = new int[edges];
        for (int i = 0; i < edges; i++) {
            src[i] = random.nextInt(nodes);
            dst[i] = random.nextInt(nodes);
            labels[i] = noise
                    ? random.nextInt(2)
                    : edgeFeatures[i * EDGE_DIM] + edgeFeatures[i * EDGE_DIM + 1] > 0.5f ? 1 : 0;
        }
        return new EdgeGraph(nodes, edges, nodeFeatures, NODE_DIM, edgeFeatures, EDGE_DIM, src, dst, labels, null);
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }
}
