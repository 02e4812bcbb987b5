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
 *   <li>{@code edgeMessages} (N x edgeDim): the mean of the features of v's incident edges. Edge features are
 *       inputs, never trained, so this mean is computed here once instead of as a sparse product in every pass,</li>
 * </ul>
 * where deg(v) counts the messages arriving at v (a self-loop brings two). Nodes without edges have empty rows:
 * their aggregate is zero, never 0/0.
 *
 * <p>The edge head's node terms {@code S[src] + D[dst]} are picked in one of two ways. For training, by
 * {@code endpoints} (E x 2N), ones at (i, src_i) and (i, N + dst_i): {@code endpoints * [S ; D]}. Indexing rows
 * would do the same, but its backward pass adds into the gradient with atomic float additions from several
 * threads, in varying order, so training would not be reproducible; the sparse product's backward pass is. For
 * scoring ({@link #forScoring}), no backward pass: rows are gathered by the {@code src} and {@code dst} indices, on
 * every core, where the sparse product runs on one. Both give bitwise the same sums (1·S + 1·D added to zero).
 */
final class GraphArrays {

    final NDArray nodes;
    final NDArray edges;
    final NDArray neighbourMean;
    final NDArray edgeMessages;
    /** For training: E x 2N sparse, else null. */
    final NDArray endpoints;
    /** For scoring: edge sources and destinations (int64), else null. */
    final NDArray src;

    final NDArray dst;
    // The sparse matrices point into these arrays: keep them referenced (and open) as long as the matrices are used.
    private final NDArray[] sparseParts;

    private GraphArrays(
            NDArray nodes,
            NDArray edges,
            NDArray neighbourMean,
            NDArray edgeMessages,
            NDArray endpoints,
            NDArray src,
            NDArray dst,
            NDArray... sparseParts) {
        this.nodes = nodes;
        this.edges = edges;
        this.neighbourMean = neighbourMean;
        this.edgeMessages = edgeMessages;
        this.endpoints = endpoints;
        this.src = src;
        this.dst = dst;
        this.sparseParts = sparseParts;
    }

    /** The arrays for a training step: node terms picked by a sparse product, which back-propagates reproducibly. */
    static GraphArrays of(NDManager manager, EdgeGraph g) {
        int[] degree = degree(g);
        NDArray[] neighbours = sparse(manager, neighbourMean(g, degree), g.nodes(), g.nodes());
        NDArray[] endpoints = sparse(manager, endpoints(g), g.edges(), 2L * g.nodes());
        return new GraphArrays(
                nodes(manager, g),
                edges(manager, g),
                neighbours[0],
                edgeMessages(manager, g, degree),
                endpoints[0],
                null,
                null,
                neighbours[1],
                neighbours[2],
                endpoints[1],
                endpoints[2]);
    }

    /** The arrays for scoring (no gradient): node terms gathered by index. */
    static GraphArrays forScoring(NDManager manager, EdgeGraph g) {
        int[] degree = degree(g);
        NDArray[] neighbours = sparse(manager, neighbourMean(g, degree), g.nodes(), g.nodes());
        long[] src = new long[g.edges()];
        long[] dst = new long[g.edges()];
        for (int i = 0; i < g.edges(); i++) {
            src[i] = g.src()[i];
            dst[i] = g.dst()[i];
        }
        return new GraphArrays(
                nodes(manager, g),
                edges(manager, g),
                neighbours[0],
                edgeMessages(manager, g, degree),
                null,
                manager.create(src),
                manager.create(dst),
                neighbours[1],
                neighbours[2]);
    }

    private static int[] degree(EdgeGraph g) {
        int[] degree = new int[g.nodes()];
        for (int i = 0; i < g.edges(); i++) {
            degree[g.src()[i]]++;
            degree[g.dst()[i]]++;
        }
        return degree;
    }

    private static NDArray nodes(NDManager manager, EdgeGraph g) {
        return manager.create(g.nodeFeatures(), new Shape(g.nodes(), g.nodeDim()));
    }

    private static NDArray edges(NDManager manager, EdgeGraph g) {
        return manager.create(g.edgeFeatures(), new Shape(g.edges(), g.edgeDim()));
    }

    private static NDArray edgeMessages(NDManager manager, EdgeGraph g, int[] degree) {
        return manager.create(edgeMean(g, degree), new Shape(g.nodes(), g.edgeDim()));
    }

    /**
     * N x edgeDim, row-major: the mean of the features of every flow touching v, a self-loop counted twice (as the
     * two messages it brings). Sums in edge order, in float, as the sparse product did.
     */
    static float[] edgeMean(EdgeGraph g, int[] degree) {
        int d = g.edgeDim();
        float[] sum = new float[g.nodes() * d];
        float[] x = g.edgeFeatures();
        for (int i = 0; i < g.edges(); i++) {
            int s = g.src()[i] * d;
            int t = g.dst()[i] * d;
            int r = i * d;
            for (int c = 0; c < d; c++) {
                sum[s + c] += x[r + c];
                sum[t + c] += x[r + c];
            }
        }
        for (int v = 0; v < g.nodes(); v++) {
            if (degree[v] == 0) continue;
            float inverse = 1f / degree[v];
            for (int c = v * d, end = c + d; c < end; c++) sum[c] *= inverse;
        }
        return sum;
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
}
