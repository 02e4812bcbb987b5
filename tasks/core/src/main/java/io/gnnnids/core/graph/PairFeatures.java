package io.gnnnids.core.graph;

import java.util.Arrays;
import java.util.List;

/**
 * Edge features from the window around a flow: how the flows of the same conversation (originator node,
 * responder node, responder port) behave together. Brute force repeats near-identical flows to one service; C&C
 * beacons at a steady interval; benign clients vary. Node features alone miss this when a compromised host's
 * attack flows drown in its benign ones, or when a busy server is attacked by one of its many clients: the
 * conversation's share of its originator's and responder's flows tells a client hammering a server apart from
 * one of many ordinary clients, whatever the size of the network. Only differences of timestamps are used, never
 * the timestamps.
 */
final class PairFeatures {

    static final List<String> NAMES = List.of(
            "log_pair_flows",
            "log_pair_mean_interval_s",
            "pair_interval_cv",
            "pair_orig_bytes_std",
            "pair_resp_bytes_std",
            "pair_share_of_orig_out",
            "pair_share_of_resp_in");
    static final int DIM = NAMES.size();

    /** A coefficient of variation beyond this says "irregular" as well as any larger one. */
    private static final double MAX_CV = 10;

    private PairFeatures() {}

    /**
     * Writes the pair features of every edge into columns {@code [offset, offset + DIM)} of its row.
     *
     * @param edgeRaw row-major {@code edges x edgeDim}, the flow features already written
     */
    static void compute(
            int nodes,
            int edges,
            int[] src,
            int[] dst,
            int[] respPort,
            double[] ts,
            float[] edgeRaw,
            int edgeDim,
            int offset) {
        int[] out = new int[nodes];
        int[] in = new int[nodes];
        LongIntMap pairs = new LongIntMap(Math.min(edges, 1 << 14));
        LongIntMap conversations = new LongIntMap(Math.min(edges, 1 << 14));
        int[] conversation = new int[edges];
        for (int e = 0; e < edges; e++) {
            int pair = pairs.putIfAbsent(((long) src[e] << 31) | dst[e], pairs.size());
            if (pair < 0) pair = pairs.size() - 1;
            int c = conversations.putIfAbsent(((long) pair << 16) | (respPort[e] & 0xFFFF), conversations.size());
            conversation[e] = c < 0 ? conversations.size() - 1 : c;
            out[src[e]]++;
            in[dst[e]]++;
        }
        int n = conversations.size();
        int[] count = new int[n];
        int[] gaps = new int[n];
        double[] last = new double[n];
        double[] gapSum = new double[n], gapSq = new double[n];
        double[] obSum = new double[n], obSq = new double[n], rbSum = new double[n], rbSq = new double[n];
        for (int e : tsOrder(edges, ts)) {
            int c = conversation[e];
            if (count[c] > 0) {
                double gap = ts[e] - last[c];
                gaps[c]++;
                gapSum[c] += gap;
                gapSq[c] += gap * gap;
            }
            last[c] = ts[e];
            count[c]++;
            double ob = edgeRaw[e * edgeDim + EdgeFeatures.LOG_ORIG_BYTES];
            double rb = edgeRaw[e * edgeDim + EdgeFeatures.LOG_RESP_BYTES];
            obSum[c] += ob;
            obSq[c] += ob * ob;
            rbSum[c] += rb;
            rbSq[c] += rb * rb;
        }
        float[] perConversation = new float[n * DIM]; // the last two columns depend on the edge's endpoints
        for (int c = 0; c < n; c++) {
            int o = c * DIM;
            perConversation[o] = EdgeFeatures.log1p((long) count[c]);
            // Too few flows to judge regularity: say "random arrivals" (a Poisson stream has CV 1), not 0, which
            // would claim the steadiest beacon possible.
            perConversation[o + 2] = 1;
            if (gaps[c] > 0) {
                double mean = gapSum[c] / gaps[c];
                perConversation[o + 1] = EdgeFeatures.log1p(mean);
                if (gaps[c] > 1) {
                    double sd = Math.sqrt(Math.max(0, gapSq[c] / gaps[c] - mean * mean));
                    perConversation[o + 2] = mean > 0 ? (float) Math.min(MAX_CV, sd / mean) : 0;
                }
            }
            perConversation[o + 3] = std(obSum[c], obSq[c], count[c]);
            perConversation[o + 4] = std(rbSum[c], rbSq[c], count[c]);
        }
        for (int e = 0; e < edges; e++) {
            int c = conversation[e], o = e * edgeDim + offset;
            System.arraycopy(perConversation, c * DIM, edgeRaw, o, DIM - 2);
            edgeRaw[o + DIM - 2] = (float) count[c] / out[src[e]];
            edgeRaw[o + DIM - 1] = (float) count[c] / in[dst[e]];
        }
    }

    private static float std(double sum, double sq, int n) {
        double mean = sum / n;
        return (float) Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    /** Edge indices by ascending ts (ties in edge order); no sort when the edges already are in order. */
    private static int[] tsOrder(int edges, double[] ts) {
        int[] order = new int[edges];
        boolean sorted = true;
        double min = Double.POSITIVE_INFINITY;
        for (int e = 0; e < edges; e++) {
            order[e] = e;
            if (e > 0 && ts[e] < ts[e - 1]) sorted = false;
            min = Math.min(min, ts[e]);
        }
        if (sorted) return order;
        // Microseconds since the earliest flow in the high bits, the edge index in the low 24.
        long[] keys = new long[edges];
        for (int e = 0; e < edges; e++) keys[e] = ((long) ((ts[e] - min) * 1e6) << 24) | e;
        Arrays.sort(keys);
        for (int i = 0; i < edges; i++) order[i] = (int) (keys[i] & 0xFF_FFFF);
        return order;
    }
}
