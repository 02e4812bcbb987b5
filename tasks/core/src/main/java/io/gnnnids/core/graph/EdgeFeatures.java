package io.gnnnids.core.graph;

import io.gnnnids.core.flow.Flow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge feature layout: what one flow looks like to the model, before scaling. Only what the flow did is
 * described (sizes, timing, protocol, handshake, port class); addresses, uid and timestamps are never features,
 * so a model cannot learn who talked, only how.
 *
 * <p>Layout (columns in this order): duration in milliseconds (sub-second flows would all be ~0 in seconds) and
 * volumes (log1p), per-packet sizes and packet rate (log1p), unset flags,
 * proto one-hot, service one-hot over the fitted vocabulary + other + none, conn_state one-hot, responder-port
 * range one-hot, responder-port group one-hot, Zeek history letter counts (log1p, upper and lower case apart),
 * local_orig / local_resp with unknown flags, then the {@link PairFeatures} a window adds.
 */
public final class EdgeFeatures {

    /** Zeek's conn_state values; anything else is "unknown". */
    static final List<String> CONN_STATES =
            List.of("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH");

    /**
     * Zeek history letters (conn.log {@code history}): upper case = originator, lower case = responder.
     * s SYN without ACK, h SYN+ACK, a pure ACK, d payload, f FIN, r RST, c bad checksum, g content gap,
     * t retransmitted payload, w zero window, i inconsistent packet, q multi-flag packet; '^' = direction flipped.
     */
    static final String HISTORY_LETTERS = "SHADFRCGTWIQshadfrcgtwiq^";

    /** Port groups by what the service is for, each covering several ports so that none stands for one attack. */
    enum PortGroup {
        WEB(80, 443, 8000, 8008, 8080, 8081, 8443, 8888),
        NAMING_AND_INFRA(53, 67, 68, 123, 137, 138, 161, 162, 514, 1900, 5353, 5355),
        REMOTE_ACCESS(22, 23, 2222, 2323, 3389, 5555, 5900, 5938),
        FILE_SHARING(20, 21, 69, 139, 445, 873, 2049),
        MAIL(25, 110, 143, 465, 587, 993, 995),
        DATABASE(1433, 1521, 3306, 5432, 6379, 9200, 11211, 27017),
        MESSAGING_IOT(1883, 8883, 5683, 5222, 554, 631, 9100),
        OTHER;

        final int[] ports;

        PortGroup(int... ports) {
            this.ports = ports;
        }
    }

    public static final String SERVICE_OTHER = "other";
    public static final String SERVICE_NONE = "none";

    // ---- fixed column positions ----
    static final int LOG_DURATION_MS = 0;
    static final int LOG_ORIG_BYTES = 1;
    static final int LOG_RESP_BYTES = 2;
    static final int LOG_ORIG_PKTS = 3;
    static final int LOG_RESP_PKTS = 4;
    static final int LOG_ORIG_IP_BYTES = 5;
    static final int LOG_RESP_IP_BYTES = 6;
    static final int LOG_MISSED_BYTES = 7;
    static final int LOG_ORIG_BYTES_PER_PKT = 8;
    static final int LOG_RESP_BYTES_PER_PKT = 9;
    static final int LOG_PKTS_PER_SECOND = 10;
    static final int DURATION_UNSET = 11;
    static final int BYTES_UNSET = 12;
    static final int PROTO = 13;
    static final int PROTO_TCP = PROTO;
    static final int PROTO_UDP = PROTO + 1;
    static final int PROTO_ICMP = PROTO + 2;
    static final int PROTO_OTHER = PROTO + 3;
    static final int SERVICE = PROTO + 4;

    private static final int[] HISTORY_COLUMN = new int[128];
    private static final Map<String, Integer> CONN_STATE_INDEX = new HashMap<>();
    private static final byte[] PORT_GROUP = new byte[65_536];

    static {
        Arrays.fill(HISTORY_COLUMN, -1);
        for (int i = 0; i < HISTORY_LETTERS.length(); i++) HISTORY_COLUMN[HISTORY_LETTERS.charAt(i)] = i;
        for (int i = 0; i < CONN_STATES.size(); i++) CONN_STATE_INDEX.put(CONN_STATES.get(i), i);
        Arrays.fill(PORT_GROUP, (byte) PortGroup.OTHER.ordinal());
        for (PortGroup g : PortGroup.values()) {
            for (int p : g.ports) PORT_GROUP[p] = (byte) g.ordinal();
        }
    }

    private final List<String> services;
    private final Map<String, Integer> serviceIndex = new HashMap<>();
    private final int connState;
    private final int portRange;
    private final int portGroup;
    private final int history;
    private final int local;
    private final int dim;
    private final List<String> names;

    /** @param serviceVocabulary the fitted services, most frequent first (see {@link #fitServices}) */
    public EdgeFeatures(List<String> serviceVocabulary) {
        this.services = List.copyOf(serviceVocabulary);
        for (int i = 0; i < services.size(); i++) serviceIndex.put(services.get(i), i);
        connState = SERVICE + services.size() + 2;
        portRange = connState + CONN_STATES.size() + 1;
        portGroup = portRange + 4;
        history = portGroup + PortGroup.values().length;
        local = history + HISTORY_LETTERS.length();
        dim = local + 4;
        names = Collections.unmodifiableList(buildNames());
    }

    /**
     * The {@code k} most frequent services (ties by name, so the result does not depend on iteration order).
     * Zeek lists several confirmed services comma-separated; the first one counts.
     */
    public static List<String> fitServices(Map<String, Long> serviceCounts, int k) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(serviceCounts.entrySet());
        entries.removeIf(e -> e.getKey() == null
                || e.getKey().equals(SERVICE_OTHER)
                || e.getKey().equals(SERVICE_NONE));
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, entries.size()); i++)
            out.add(entries.get(i).getKey());
        return out;
    }

    /** The service name a flow counts under when fitting the vocabulary; null when the flow has none. */
    public static String serviceOf(Flow f) {
        String s = f.service();
        if (s == null || s.isEmpty()) return null;
        int comma = s.indexOf(',');
        return comma < 0 ? s : s.substring(0, comma);
    }

    public List<String> names() {
        return names;
    }

    public int dim() {
        return dim;
    }

    public List<String> services() {
        return services;
    }

    /** The flow's features as a new row. */
    public float[] row(Flow f) {
        float[] row = new float[dim];
        write(f, row, 0);
        return row;
    }

    /** Writes the flow's features into {@code out[offset .. offset + dim)}, which must be zero. */
    public void write(Flow f, float[] out, int o) {
        Double duration = f.duration();
        Long ob = f.origBytes();
        Long rb = f.respBytes();
        long op = orZero(f.origPkts());
        long rp = orZero(f.respPkts());
        double seconds = duration != null && duration > 0 ? duration : 0;
        out[o + LOG_DURATION_MS] = log1p(seconds * 1000);
        out[o + LOG_ORIG_BYTES] = log1p(orZero(ob));
        out[o + LOG_RESP_BYTES] = log1p(orZero(rb));
        out[o + LOG_ORIG_PKTS] = log1p(op);
        out[o + LOG_RESP_PKTS] = log1p(rp);
        out[o + LOG_ORIG_IP_BYTES] = log1p(orZero(f.origIpBytes()));
        out[o + LOG_RESP_IP_BYTES] = log1p(orZero(f.respIpBytes()));
        out[o + LOG_MISSED_BYTES] = log1p(orZero(f.missedBytes()));
        out[o + LOG_ORIG_BYTES_PER_PKT] = op == 0 ? 0 : log1p((double) orZero(ob) / op);
        out[o + LOG_RESP_BYTES_PER_PKT] = rp == 0 ? 0 : log1p((double) orZero(rb) / rp);
        // A rate over a zero or unknown duration is meaningless, not huge: 0, and the unset flag says why.
        out[o + LOG_PKTS_PER_SECOND] = seconds > 0 ? log1p((op + rp) / seconds) : 0;
        out[o + DURATION_UNSET] = duration == null ? 1 : 0;
        out[o + BYTES_UNSET] = ob == null || rb == null ? 1 : 0;

        out[o + protoColumn(f.proto())] = 1;
        out[o + SERVICE + serviceSlot(f.service())] = 1;
        Integer cs = f.connState() == null ? null : CONN_STATE_INDEX.get(f.connState());
        out[o + connState + (cs == null ? CONN_STATES.size() : cs)] = 1;

        int port = f.respP();
        boolean icmp = "icmp".equals(f.proto());
        boolean validPort = !icmp && port >= 0 && port <= 65_535;
        // For ICMP Zeek puts the message code where the port goes: no port class applies.
        out[o + portRange + (!validPort ? 3 : port <= 1023 ? 0 : port <= 49_151 ? 1 : 2)] = 1;
        out[o + portGroup + (validPort ? PORT_GROUP[port] : PortGroup.OTHER.ordinal())] = 1;

        String h = f.history();
        if (h != null) {
            int base = o + history;
            for (int i = 0, n = h.length(); i < n; i++) {
                char c = h.charAt(i);
                int col = c < 128 ? HISTORY_COLUMN[c] : -1;
                if (col >= 0) out[base + col] += 1;
            }
            for (int i = 0; i < HISTORY_LETTERS.length(); i++) {
                float v = out[base + i];
                if (v != 0) out[base + i] = LOG1P_SMALL[Math.min((int) v, LOG1P_SMALL.length - 1)];
            }
        }

        Boolean lo = f.localOrig();
        Boolean lr = f.localResp();
        // Unset (as in many published captures): the private-range test says what Zeek's local_nets usually would.
        out[o + local] = (lo == null ? PrivateAddress.isPrivate(f.origH()) : lo) ? 1 : 0;
        out[o + local + 1] = (lr == null ? PrivateAddress.isPrivate(f.respH()) : lr) ? 1 : 0;
        out[o + local + 2] = lo == null ? 1 : 0;
        out[o + local + 3] = lr == null ? 1 : 0;
    }

    static int protoColumn(String proto) {
        if (proto == null) return PROTO_OTHER;
        return switch (proto) {
            case "tcp" -> PROTO_TCP;
            case "udp" -> PROTO_UDP;
            case "icmp" -> PROTO_ICMP;
            default -> PROTO_OTHER;
        };
    }

    private int serviceSlot(String service) {
        if (service == null || service.isEmpty()) return services.size() + 1;
        Integer i = serviceIndex.get(service);
        if (i == null) {
            int comma = service.indexOf(',');
            if (comma > 0) i = serviceIndex.get(service.substring(0, comma));
        }
        return i == null ? services.size() : i;
    }

    private List<String> buildNames() {
        List<String> n = new ArrayList<>(List.of(
                "log_duration_ms",
                "log_orig_bytes",
                "log_resp_bytes",
                "log_orig_pkts",
                "log_resp_pkts",
                "log_orig_ip_bytes",
                "log_resp_ip_bytes",
                "log_missed_bytes",
                "log_orig_bytes_per_pkt",
                "log_resp_bytes_per_pkt",
                "log_pkts_per_second",
                "duration_unset",
                "bytes_unset",
                "proto_tcp",
                "proto_udp",
                "proto_icmp",
                "proto_other"));
        for (String s : services) n.add("service_" + s);
        n.add("service_" + SERVICE_OTHER);
        n.add("service_" + SERVICE_NONE);
        for (String s : CONN_STATES) n.add("conn_state_" + s);
        n.add("conn_state_unknown");
        n.addAll(List.of("resp_port_well_known", "resp_port_registered", "resp_port_dynamic", "resp_port_none"));
        for (PortGroup g : PortGroup.values())
            n.add("resp_port_group_" + g.name().toLowerCase());
        for (char c : HISTORY_LETTERS.toCharArray()) {
            n.add("history_" + (c == '^' ? "flipped" : Character.isUpperCase(c) ? "orig_" + c : "resp_" + c));
        }
        n.addAll(List.of("local_orig", "local_resp", "local_orig_unknown", "local_resp_unknown"));
        if (n.size() != dim) throw new IllegalStateException("edge feature names do not match the layout");
        return n;
    }

    static long orZero(Long v) {
        return v == null ? 0 : Math.max(0, v);
    }

    private static final float[] LOG1P_SMALL = new float[1024];
    /** log(m) for m = 1 + i / 4096 over the mantissa range [1, 2], interpolated linearly between entries. */
    private static final int MANTISSA_BITS = 12;

    private static final double[] LOG_MANTISSA = new double[(1 << MANTISSA_BITS) + 1];
    private static final double LN2 = Math.log(2);

    static {
        for (int i = 0; i < LOG1P_SMALL.length; i++) LOG1P_SMALL[i] = (float) Math.log1p(i);
        for (int i = 0; i < LOG_MANTISSA.length; i++) LOG_MANTISSA[i] = Math.log(1 + (double) i / (1 << MANTISSA_BITS));
    }

    /**
     * log(1 + v) for v >= 0, to float precision (interpolation error below 1e-8), several times faster than
     * Math.log1p: a graph of 200,000 flows takes a dozen logarithms per flow. Small counts come from a table.
     */
    static float log1p(double v) {
        if (!(v > 0)) return 0;
        if (v >= 1e300) return (float) Math.log1p(v);
        long bits = Double.doubleToRawLongBits(1 + v);
        int exponent = (int) (bits >>> 52) - 1023;
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        int i = (int) (mantissa >>> (52 - MANTISSA_BITS));
        double frac = (mantissa & ((1L << (52 - MANTISSA_BITS)) - 1)) * (1.0 / (1L << (52 - MANTISSA_BITS)));
        double lo = LOG_MANTISSA[i];
        return (float) (exponent * LN2 + lo + (LOG_MANTISSA[i + 1] - lo) * frac);
    }

    static float log1p(long v) {
        return v < LOG1P_SMALL.length ? LOG1P_SMALL[(int) v] : log1p((double) v);
    }
}
