package io.gnnnids.core.graph;

import java.util.List;

/**
 * Node features: how each endpoint behaved in the window (how many flows, to how many peers and ports, how
 * often nobody answered or it was refused, how much it sent), never who it is. Scans, floods and brute force
 * differ from benign fan-out mostly here: a scanner has many peers or ports, one flow each, and mostly no answer.
 * Computed in one pass over the window's edges, before scaling.
 */
public final class NodeFeatures {

    /** How a connection attempt ended, from conn_state. */
    public static final byte ESTABLISHED = 0;

    public static final byte NO_ANSWER = 1;
    public static final byte REJECTED = 2;
    public static final byte RESET = 3;
    public static final byte OTHER = 4;

    private static final List<String> NAMES = List.of(
            "log_out_flows",
            "log_in_flows",
            "log_out_peers",
            "log_in_peers",
            "log_out_resp_ports",
            "log_in_local_ports",
            "out_no_answer_share",
            "out_rejected_share",
            "out_reset_share",
            "out_other_share",
            "in_no_answer_share",
            "in_rejected_share",
            "in_reset_share",
            "in_other_share",
            "mean_log_bytes_sent",
            "max_log_bytes_sent",
            "mean_log_bytes_received",
            "max_log_bytes_received",
            "mean_log_pkts_sent",
            "mean_log_pkts_received",
            "mean_log_duration_ms",
            "udp_share",
            "icmp_share",
            "out_peers_per_flow",
            "in_peers_per_flow",
            "out_ports_per_flow",
            "log_out_flows_per_peer",
            "log_in_flows_per_peer",
            "log_out_ports_per_peer",
            "out_flow_share");

    public static final int DIM = NAMES.size();

    private static final int OUT_FLOWS = 0, IN_FLOWS = 1, OUT_PEERS = 2, IN_PEERS = 3, OUT_PORTS = 4, IN_PORTS = 5;
    private static final int OUT_SHARES = 6, IN_SHARES = 10;
    private static final int MEAN_SENT = 14, MAX_SENT = 15, MEAN_RECV = 16, MAX_RECV = 17;
    private static final int MEAN_PKTS_SENT = 18, MEAN_PKTS_RECV = 19, MEAN_DURATION = 20;
    private static final int UDP = 21, ICMP = 22;
    private static final int OUT_PEERS_PER_FLOW = 23, IN_PEERS_PER_FLOW = 24, OUT_PORTS_PER_FLOW = 25;
    private static final int OUT_FLOWS_PER_PEER = 26, IN_FLOWS_PER_PEER = 27, OUT_PORTS_PER_PEER = 28, OUT_SHARE = 29;

    private NodeFeatures() {}

    public static List<String> names() {
        return NAMES;
    }

    public static byte outcome(String connState) {
        if (connState == null) return OTHER;
        return switch (connState) {
            case "SF", "S1", "S2", "S3" -> ESTABLISHED;
            case "S0", "SH", "RSTOS0" -> NO_ANSWER;
            case "REJ" -> REJECTED;
            case "RSTO", "RSTR", "RSTRH", "SHR" -> RESET;
            default -> OTHER;
        };
    }

    /**
     * Node features, row-major {@code nodes x DIM}, unscaled.
     *
     * @param respPort the responder port of each edge
     * @param outcome  {@link #outcome} of each edge
     * @param edgeRaw  the unscaled edge features ({@link EdgeFeatures} layout), row-major {@code edges x edgeDim}
     */
    static float[] compute(
            int nodes, int edges, int[] src, int[] dst, int[] respPort, byte[] outcome, float[] edgeRaw, int edgeDim) {
        float[] x = new float[nodes * DIM];
        int[] out = new int[nodes];
        int[] in = new int[nodes];
        // Distinct (node, peer) and (node, port) pairs; the kind sits in the top bits, ids and ports below 2^30.
        LongIntMap seen = new LongIntMap(Math.min(edges, 1 << 14));
        for (int e = 0; e < edges; e++) {
            int s = src[e], d = dst[e], port = respPort[e] & 0x3FFF_FFFF;
            int r = e * edgeDim;
            out[s]++;
            in[d]++;
            int so = s * DIM, dof = d * DIM;
            if (seen.putIfAbsent(((long) s << 30) | d, 0) < 0) {
                x[so + OUT_PEERS]++;
                x[dof + IN_PEERS]++;
            }
            if (seen.putIfAbsent((1L << 60) | ((long) s << 30) | port, 0) < 0) x[so + OUT_PORTS]++;
            if (seen.putIfAbsent((2L << 60) | ((long) d << 30) | port, 0) < 0) x[dof + IN_PORTS]++;
            byte oc = outcome[e];
            if (oc != ESTABLISHED) {
                x[so + OUT_SHARES + oc - 1]++;
                x[dof + IN_SHARES + oc - 1]++;
            }
            float ob = edgeRaw[r + EdgeFeatures.LOG_ORIG_BYTES], rb = edgeRaw[r + EdgeFeatures.LOG_RESP_BYTES];
            float op = edgeRaw[r + EdgeFeatures.LOG_ORIG_PKTS], rp = edgeRaw[r + EdgeFeatures.LOG_RESP_PKTS];
            float dur = edgeRaw[r + EdgeFeatures.LOG_DURATION_MS];
            float udp = edgeRaw[r + EdgeFeatures.PROTO_UDP], icmp = edgeRaw[r + EdgeFeatures.PROTO_ICMP];
            // The originator sends orig bytes and receives resp bytes; the responder the other way round.
            x[so + MEAN_SENT] += ob;
            x[so + MAX_SENT] = Math.max(x[so + MAX_SENT], ob);
            x[so + MEAN_RECV] += rb;
            x[so + MAX_RECV] = Math.max(x[so + MAX_RECV], rb);
            x[so + MEAN_PKTS_SENT] += op;
            x[so + MEAN_PKTS_RECV] += rp;
            x[dof + MEAN_SENT] += rb;
            x[dof + MAX_SENT] = Math.max(x[dof + MAX_SENT], rb);
            x[dof + MEAN_RECV] += ob;
            x[dof + MAX_RECV] = Math.max(x[dof + MAX_RECV], ob);
            x[dof + MEAN_PKTS_SENT] += rp;
            x[dof + MEAN_PKTS_RECV] += op;
            x[so + MEAN_DURATION] += dur;
            x[dof + MEAN_DURATION] += dur;
            x[so + UDP] += udp;
            x[dof + UDP] += udp;
            x[so + ICMP] += icmp;
            x[dof + ICMP] += icmp;
        }
        for (int v = 0; v < nodes; v++) {
            int o = v * DIM;
            int no = out[v], ni = in[v], all = no + ni;
            float peersOut = x[o + OUT_PEERS], peersIn = x[o + IN_PEERS], portsOut = x[o + OUT_PORTS];
            for (int k = 0; k < 4; k++) {
                x[o + OUT_SHARES + k] = no == 0 ? 0 : x[o + OUT_SHARES + k] / no;
                x[o + IN_SHARES + k] = ni == 0 ? 0 : x[o + IN_SHARES + k] / ni;
            }
            float inv = 1f / all; // every node has at least one flow
            x[o + MEAN_SENT] *= inv;
            x[o + MEAN_RECV] *= inv;
            x[o + MEAN_PKTS_SENT] *= inv;
            x[o + MEAN_PKTS_RECV] *= inv;
            x[o + MEAN_DURATION] *= inv;
            x[o + UDP] *= inv;
            x[o + ICMP] *= inv;
            x[o + OUT_PEERS_PER_FLOW] = no == 0 ? 0 : peersOut / no;
            x[o + IN_PEERS_PER_FLOW] = ni == 0 ? 0 : peersIn / ni;
            x[o + OUT_PORTS_PER_FLOW] = no == 0 ? 0 : portsOut / no;
            x[o + OUT_FLOWS_PER_PEER] = no == 0 ? 0 : EdgeFeatures.log1p((double) no / peersOut);
            x[o + IN_FLOWS_PER_PEER] = ni == 0 ? 0 : EdgeFeatures.log1p((double) ni / peersIn);
            x[o + OUT_PORTS_PER_PEER] = no == 0 ? 0 : EdgeFeatures.log1p((double) portsOut / peersOut);
            x[o + OUT_SHARE] = (float) no / all;
            x[o + OUT_FLOWS] = EdgeFeatures.log1p((long) no);
            x[o + IN_FLOWS] = EdgeFeatures.log1p((long) ni);
            x[o + OUT_PEERS] = EdgeFeatures.log1p((long) peersOut);
            x[o + IN_PEERS] = EdgeFeatures.log1p((long) peersIn);
            x[o + OUT_PORTS] = EdgeFeatures.log1p((long) portsOut);
            x[o + IN_PORTS] = EdgeFeatures.log1p((long) x[o + IN_PORTS]);
        }
        return x;
    }
}
