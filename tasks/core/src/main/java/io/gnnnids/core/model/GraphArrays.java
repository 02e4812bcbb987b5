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
 * <p>DJL has no scatter-add, so every sum over a variable number of rows is a sparse matrix product (which also
 * back-propagates much faster than indexing would). Every flow is aggregated in both directions, i.e. the graph has
 * 2E directed messages {@code u -> v} carrying {@code [h_u ; e_uv]}; their mean at node v is
 * {@code [neighbourMean * h ; edgeMean * e]} with
 * <ul>
 *   <li>{@code neighbourMean} (N x N): entry (messages u -> v)/deg(v) at (v, u), so multi-edges weigh as often as
 *       they occur,</li>
 *   <li>{@code edgeMean} (N x E): entries 1/deg(v) at (src, i) and (dst, i) for edge i,</li>
 * </ul>
 * where deg(v) counts the messages arriving at v (a self-loop brings two). Nodes without edges have empty rows:
 * their aggregate is zero, never 0/0.
 *
 * <p>The edge head's node terms are picked by {@code endpoints} (E x 2N), ones at (i, src_i) and (i, N + dst_i):
 * {@code endpoints * [S ; D]} is {@code S[src] + D[dst]} for every edge. Indexing rows would do the same, but its
 * backward pass adds into the gradient with atomic float additions from several threads, in varying order, so
 * training would not be reproducible; the sparse product's backward pass is, and it is no slower.
 */
final class GraphArrays {

    final NDArray nodes;
    final NDArray edges;
    final NDArray neighbourMean;
    final NDArray edgeMean;
    final NDArray endpoints;
    // The sparse matrices point into these arrays: keep them referenced (and open) as long as the matrices are used.
    private final NDArray[] sparseParts;

    private GraphArrays(NDArray nodes, NDArray edges, NDArray neighbourMean, NDArray edgeMean, NDArray endpoints,
                        NDArray... sparseParts) {
        this.nodes = nodes;
        this.edges = edges;
        this.neighbourMean = neighbourMean;
        this.edgeMean = edgeMean;
        this.endpoints = endpoints;
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
        NDArray[] neighbours = sparse(manager, neighbourMean(g, degree), n, n);
        NDArray[] incident = sparse(manager, edgeMean(g, degree), n, e);
        NDArray[] endpoints = sparse(manager, endpoints(g), e, 2L * n);
        return new GraphArrays(
                manager.create(g.nodeFeatures(), new Shape(n, g.nodeDim())),
                manager.create(g.edgeFeatures(), new Shape(e, g.edgeDim())),
                neighbours[0], incident[0], endpoints[0],
                neighbours[1], neighbours[2], incident[1], incident[2], endpoints[1], endpoints[2]);
    }

    /** The sparse matrix followed by its index and value arrays, which must outlive it. */
    private static NDArray[] sparse(NDManager manager, Coo coo, long rows, long cols) {
        NDArray indices = manager.create(coo.indices, new Shape(2, coo.values.length));
        NDArray values = manager.create(coo.values);
        // Not NDManager.createCoo: it frees the buffers the sparse tensor still points to.
        NDArray matrix = JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, new Shape(rows, cols));
        return new NDArray[] {matrix, indices, values};
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

    /** E x 2N: ones at (i, src_i) and (i, N + dst_i), already in coalesced order. */
    static Coo endpoints(EdgeGraph g) {
        int e = g.edges();
        int[] rows = new int[2 * e];
        int[] cols = new int[2 * e];
        float[] values = new float[2 * e];
        Arrays.fill(values, 1f);
        for (int i = 0; i < e; i++) {
            rows[2 * i] = i;
            rows[2 * i + 1] = i;
            cols[2 * i] = g.src()[i];
            cols[2 * i + 1] = g.nodes() + g.dst()[i];
        }
        return Coo.of(rows, cols, values, 2 * e);
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
