package io.gnnnids.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.gnnnids.core.graph.EdgeGraph;

/**
 * One {@link EdgeGraph} as engine arrays, all owned by one short-lived manager.
 *
 * <p>Mean aggregation is a sparse matrix product because DJL has no scatter-add. Every flow is aggregated in both
 * directions, i.e. the graph has 2E directed messages {@code u -> v} carrying {@code [h_u ; e_uv]}; their mean at
 * node v is {@code [neighbourMean * h ; edgeMean * e]} with
 * <ul>
 *   <li>{@code neighbourMean} (N x N): one entry 1/deg(v) per message at (v, u); PyTorch sums duplicate
 *       coordinates, so multi-edges weigh as often as they occur,</li>
 *   <li>{@code edgeMean} (N x E): entries 1/deg(v) at (src, i) and (dst, i) for edge i,</li>
 * </ul>
 * where deg(v) counts the messages arriving at v (a self-loop brings two). Nodes without edges have empty rows:
 * their aggregate is zero, never 0/0.
 */
final class GraphArrays {

    final NDArray nodes;
    final NDArray edges;
    final NDArray src;
    final NDArray dst;
    final NDArray neighbourMean;
    final NDArray edgeMean;
    // The sparse matrices point into these arrays: keep them referenced (and open) as long as the matrices are used.
    private final NDArray[] sparseParts;

    private GraphArrays(NDArray nodes, NDArray edges, NDArray src, NDArray dst, NDArray neighbourMean,
                        NDArray edgeMean, NDArray... sparseParts) {
        this.nodes = nodes;
        this.edges = edges;
        this.src = src;
        this.dst = dst;
        this.neighbourMean = neighbourMean;
        this.edgeMean = edgeMean;
        this.sparseParts = sparseParts;
    }

    static GraphArrays of(NDManager manager, EdgeGraph g) {
        int n = g.nodes();
        int e = g.edges();
        int[] degree = new int[n];
        for (int i = 0; i < e; i++) {
            degree[g.src()[i]]++;
            degree[g.dst()[i]]++;
        }
        float[] inverse = new float[n];
        for (int v = 0; v < n; v++) {
            inverse[v] = degree[v] == 0 ? 0f : 1f / degree[v];
        }
        long[] srcIdx = new long[e];
        long[] dstIdx = new long[e];
        // COO indices are a 2 x nnz matrix: first all rows, then all columns.
        long[] neighbourIdx = new long[4 * e];
        float[] neighbourVal = new float[2 * e];
        long[] edgeIdx = new long[4 * e];
        float[] edgeVal = new float[2 * e];
        for (int i = 0; i < e; i++) {
            int s = g.src()[i];
            int d = g.dst()[i];
            srcIdx[i] = s;
            dstIdx[i] = d;
            // message s -> d lands in row d, message d -> s in row s
            neighbourIdx[i] = d;
            neighbourIdx[2 * e + i] = s;
            neighbourIdx[e + i] = s;
            neighbourIdx[3 * e + i] = d;
            neighbourVal[i] = inverse[d];
            neighbourVal[e + i] = inverse[s];
            edgeIdx[i] = d;
            edgeIdx[2 * e + i] = i;
            edgeIdx[e + i] = s;
            edgeIdx[3 * e + i] = i;
            edgeVal[i] = inverse[d];
            edgeVal[e + i] = inverse[s];
        }
        NDArray nbIdx = manager.create(neighbourIdx, new Shape(2, 2L * e));
        NDArray nbVal = manager.create(neighbourVal);
        NDArray edIdx = manager.create(edgeIdx, new Shape(2, 2L * e));
        NDArray edVal = manager.create(edgeVal);
        // Not NDManager.createCoo: it frees the buffers the sparse tensor still points to.
        NDArray neighbourMean = JniUtils.createSparseCoo((PtNDArray) nbIdx, (PtNDArray) nbVal, new Shape(n, n));
        NDArray edgeMean = JniUtils.createSparseCoo((PtNDArray) edIdx, (PtNDArray) edVal, new Shape(n, e));
        return new GraphArrays(
                manager.create(g.nodeFeatures(), new Shape(n, g.nodeDim())),
                manager.create(g.edgeFeatures(), new Shape(e, g.edgeDim())),
                manager.create(srcIdx), manager.create(dstIdx),
                neighbourMean, edgeMean, nbIdx, nbVal, edIdx, edVal);
    }
}
