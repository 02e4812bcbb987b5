package io.gnnnids.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.gnnnids.core.graph.EdgeGraph;
import java.util.Arrays;

/**
 * One {@link EdgeGraph} as engine arrays, all owned by one short-lived manager.
 *
 * <p>Mean aggregation is a sparse matrix product because DJL has no scatter-add. Every flow is aggregated in both
 * directions, i.e. the graph has 2E directed messages {@code u -> v} carrying {@code [h_u ; e_uv]}; their mean at
 * node v is {@code [neighbourMean * h ; edgeMean * e]} with
 * <ul>
 *   <li>{@code neighbourMean} (N x N): one entry (messages u -> v)/deg(v) at (v, u), so multi-edges weigh
 *       as often as they occur,</li>
 *   <li>{@code edgeMean} (N x E): entries 1/deg(v) at (src, i) and (dst, i) for edge i,</li>
 * </ul>
 * where deg(v) counts the messages arriving at v (a self-loop brings two). Nodes without edges have empty rows:
 * their aggregate is zero, never 0/0. Duplicate entries are merged here, not left to PyTorch (see {@link Coo}).
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
        Coo neighbours = neighbourMean(g, degree);
        Coo incident = edgeMean(g, degree);
        long[] srcIdx = new long[e];
        long[] dstIdx = new long[e];
        for (int i = 0; i < e; i++) {
            srcIdx[i] = g.src()[i];
            dstIdx[i] = g.dst()[i];
        }
        NDArray nbIdx = manager.create(neighbours.indices, new Shape(2, neighbours.values.length));
        NDArray nbVal = manager.create(neighbours.values);
        NDArray edIdx = manager.create(incident.indices, new Shape(2, incident.values.length));
        NDArray edVal = manager.create(incident.values);
        // Not NDManager.createCoo: it frees the buffers the sparse tensor still points to.
        NDArray neighbourMean = JniUtils.createSparseCoo((PtNDArray) nbIdx, (PtNDArray) nbVal, new Shape(n, n));
        NDArray edgeMean = JniUtils.createSparseCoo((PtNDArray) edIdx, (PtNDArray) edVal, new Shape(n, e));
        return new GraphArrays(
                manager.create(g.nodeFeatures(), new Shape(n, g.nodeDim())),
                manager.create(g.edgeFeatures(), new Shape(e, g.edgeDim())),
                manager.create(srcIdx), manager.create(dstIdx),
                neighbourMean, edgeMean, nbIdx, nbVal, edIdx, edVal);
    }

    /**
     * A sparse matrix in PyTorch's coalesced order (sorted by row, then column, no duplicates), built here in
     * linear time so that PyTorch's own coalescing before every product finds little to do.
     *
     * @param indices 2 x nnz, all rows first, then all columns
     */
    record Coo(long[] indices, float[] values) {
        static Coo of(int[] rows, int[] cols, float[] values, int nnz) {
            long[] indices = new long[2 * nnz];
            for (int k = 0; k < nnz; k++) {
                indices[k] = rows[k];
                indices[nnz + k] = cols[k];
            }
            return new Coo(indices, Arrays.copyOf(values, nnz));
        }
    }

    /** N x N: entry (v, u) = (messages u -> v) / deg(v). */
    static Coo neighbourMean(EdgeGraph g, int[] degree) {
        int n = g.nodes();
        int[] start = new int[n + 1];
        for (int v = 0; v < n; v++) start[v + 1] = start[v] + degree[v];
        int[] fill = Arrays.copyOf(start, n);
        int[] senders = new int[start[n]];
        for (int i = 0; i < g.edges(); i++) {
            int s = g.src()[i];
            int d = g.dst()[i];
            senders[fill[d]++] = s;
            senders[fill[s]++] = d;
        }
        int[] rows = new int[senders.length];
        int[] cols = new int[senders.length];
        float[] values = new float[senders.length];
        int nnz = 0;
        for (int v = 0; v < n; v++) {
            Arrays.sort(senders, start[v], start[v + 1]);
            for (int k = start[v]; k < start[v + 1]; ) {
                int u = senders[k];
                int count = 0;
                while (k < start[v + 1] && senders[k] == u) {
                    count++;
                    k++;
                }
                rows[nnz] = v;
                cols[nnz] = u;
                values[nnz++] = count / (float) degree[v];
            }
        }
        return Coo.of(rows, cols, values, nnz);
    }

    /** N x E: entry (v, i) = 1/deg(v) when edge i touches v (2/deg(v) for a self-loop). */
    static Coo edgeMean(EdgeGraph g, int[] degree) {
        int n = g.nodes();
        int[] start = new int[n + 1];
        for (int v = 0; v < n; v++) start[v + 1] = start[v] + degree[v];
        int[] fill = Arrays.copyOf(start, n);
        int[] incident = new int[start[n]];
        for (int i = 0; i < g.edges(); i++) { // ascending i keeps every row's columns sorted
            incident[fill[g.src()[i]]++] = i;
            incident[fill[g.dst()[i]]++] = i;
        }
        int[] rows = new int[incident.length];
        int[] cols = new int[incident.length];
        float[] values = new float[incident.length];
        int nnz = 0;
        for (int v = 0; v < n; v++) {
            for (int k = start[v]; k < start[v + 1]; k++) {
                if (nnz > 0 && rows[nnz - 1] == v && cols[nnz - 1] == incident[k]) {
                    values[nnz - 1] = 2f / degree[v]; // a self-loop appears twice in its row
                    continue;
                }
                rows[nnz] = v;
                cols[nnz] = incident[k];
                values[nnz++] = 1f / degree[v];
            }
        }
        return Coo.of(rows, cols, values, nnz);
    }
}
