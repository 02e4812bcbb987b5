package io.gnnnids.core.flow;

import java.util.Set;

/**
 * The one place that decides whether a {@link Flow} is acceptable. Parsers of every format build a Flow and pass
 * it here, and code that builds flows itself (generators, tests) can call it too.
 *
 * <p>Timestamps must lie between 1990-01-01 and one year after now: earlier values come from clocks that were
 * never set (Zeek on a device without RTC logs 1970 dates) and later ones from corrupt data. Both would land in
 * nonsense daily partitions, so they are quarantined instead. Captures replayed from old data sets (IoT-23 is
 * 2018-2019) stay accepted.
 */
public final class FlowValidator {

    /** 1990-01-01T00:00:00Z in epoch seconds. */
    public static final double EARLIEST_TS = 631_152_000d;
    /** How far ahead of the local clock a ts may be. */
    public static final double MAX_FUTURE_SECONDS = 366d * 24 * 3600;

    /** Zeek's conn_state values (base/protocols/conn/main.zeek). */
    public static final Set<String> CONN_STATES =
            Set.of("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH");
    /** Zeek's transport_proto values. */
    public static final Set<String> PROTOS = Set.of("tcp", "udp", "icmp", "unknown_transport");

    private FlowValidator() {}

    /** Returns the flow unchanged when valid, otherwise throws with the first rule it breaks. */
    public static Flow validate(Flow f) throws InvalidFlow {
        required(f.uid(), FlowColumn.UID);
        required(f.origH(), FlowColumn.ORIG_H);
        required(f.respH(), FlowColumn.RESP_H);
        required(f.proto(), FlowColumn.PROTO);

        double ts = f.ts();
        if (!Double.isFinite(ts)) {
            throw new InvalidFlow(Reason.NOT_FINITE, "ts=" + ts + " is not a finite number");
        }
        if (ts < EARLIEST_TS || ts > System.currentTimeMillis() / 1000d + MAX_FUTURE_SECONDS) {
            throw new InvalidFlow(
                    Reason.BAD_TIMESTAMP,
                    "ts=" + ts + " is not between 1990-01-01 and one year from now (epoch seconds expected; integers "
                            + "from 1e11 are read as milliseconds)");
        }
        port(f.origP(), FlowColumn.ORIG_P);
        port(f.respP(), FlowColumn.RESP_P);
        if (!PROTOS.contains(f.proto())) {
            throw new InvalidFlow(
                    Reason.UNKNOWN_PROTO, "proto=" + f.proto() + " is not one of tcp, udp, icmp, unknown_transport");
        }
        address(f.origH(), FlowColumn.ORIG_H);
        address(f.respH(), FlowColumn.RESP_H);

        Double duration = f.duration();
        if (duration != null) {
            if (!Double.isFinite(duration)) {
                throw new InvalidFlow(Reason.NOT_FINITE, "duration=" + duration + " is not a finite number");
            }
            if (duration < 0) {
                throw new InvalidFlow(Reason.NEGATIVE_COUNT, "duration=" + duration + " is negative");
            }
        }
        count(f.origBytes(), FlowColumn.ORIG_BYTES);
        count(f.respBytes(), FlowColumn.RESP_BYTES);
        count(f.missedBytes(), FlowColumn.MISSED_BYTES);
        count(f.origPkts(), FlowColumn.ORIG_PKTS);
        count(f.origIpBytes(), FlowColumn.ORIG_IP_BYTES);
        count(f.respPkts(), FlowColumn.RESP_PKTS);
        count(f.respIpBytes(), FlowColumn.RESP_IP_BYTES);

        if (f.connState() != null && !CONN_STATES.contains(f.connState())) {
            throw new InvalidFlow(
                    Reason.UNKNOWN_CONN_STATE,
                    "conn_state=" + f.connState() + " is not a Zeek connection state (S0, SF, REJ, ...)");
        }
        String label = f.label();
        if (label != null && !label.equals(Flow.BENIGN) && !label.equals(Flow.MALICIOUS)) {
            throw new InvalidFlow(Reason.BAD_LABEL, "label=" + label + " is neither benign nor malicious");
        }
        return f;
    }

    /** "benign"/"malicious" for those words in any case, null for unset ("-", empty, null). */
    public static String normaliseLabel(String label) throws InvalidFlow {
        if (label == null || label.isEmpty() || label.equals("-")) {
            return null;
        }
        if (label.equalsIgnoreCase(Flow.BENIGN)) {
            return Flow.BENIGN;
        }
        if (label.equalsIgnoreCase(Flow.MALICIOUS)) {
            return Flow.MALICIOUS;
        }
        throw new InvalidFlow(Reason.BAD_LABEL, "label=" + label + " is neither benign nor malicious");
    }

    private static void required(String value, FlowColumn c) throws InvalidFlow {
        if (value == null) {
            throw new InvalidFlow(Reason.MISSING_FIELD, c.zeekName + " is missing");
        }
    }

    private static void port(int p, FlowColumn c) throws InvalidFlow {
        if (p < 0 || p > 65535) {
            throw new InvalidFlow(Reason.PORT_OUT_OF_RANGE, c.zeekName + "=" + p + " is outside 0-65535");
        }
    }

    private static void count(Long n, FlowColumn c) throws InvalidFlow {
        if (n != null && n < 0) {
            throw new InvalidFlow(Reason.NEGATIVE_COUNT, c.zeekName + "=" + n + " is negative");
        }
    }

    private static void address(String a, FlowColumn c) throws InvalidFlow {
        if (!IpLiteral.isValid(a)) {
            throw new InvalidFlow(Reason.BAD_ADDRESS, c.zeekName + "=" + a + " is not an IPv4 or IPv6 address");
        }
    }
}
