package io.gnnnids.core.flow;

/**
 * Why a record was quarantined. {@link #code()} is stable: it keys the manifest's reason counters and the
 * quarantine file's {@code reason} field, so dashboards and alerts can rely on it.
 */
public enum Reason {
    /** The message is larger than the parser's size limit. */
    TOO_LARGE,
    /** The bytes are not strict UTF-8. */
    INVALID_UTF8,
    /** Not parseable JSON, or JSON that is not an object. */
    NOT_JSON,
    /** A required field (ts, uid, id.orig_h, id.resp_h, id.orig_p, id.resp_p, proto) is unset. */
    MISSING_FIELD,
    /** A field holds the wrong JSON type or an unparsable value. */
    BAD_TYPE,
    /** A port outside 0-65535. */
    PORT_OUT_OF_RANGE,
    /** A byte or packet count, missed_bytes or duration below zero. */
    NEGATIVE_COUNT,
    /** NaN or Infinity in a number. */
    NOT_FINITE,
    /** conn_state outside the set Zeek emits. */
    UNKNOWN_CONN_STATE,
    /** proto outside tcp, udp, icmp, unknown_transport. */
    UNKNOWN_PROTO,
    /** id.orig_h or id.resp_h is not an IPv4 or IPv6 literal. */
    BAD_ADDRESS,
    /** label is neither benign nor malicious (in any case). */
    BAD_LABEL,
    /** ts is not a plausible capture time (see {@link FlowValidator}). */
    BAD_TIMESTAMP,
    /** A record of another Zeek log: zeek-kafka's tag names one other than conn ({@code {"dns":{...}}}). */
    NOT_CONN,
    /** A TSV or CSV row whose cells do not line up with the header (wrong count, unterminated quote). */
    MALFORMED_ROW;

    private final String code = name().toLowerCase(java.util.Locale.ROOT);

    /** snake_case name used as manifest counter key, e.g. {@code port_out_of_range}. */
    public String code() {
        return code;
    }
}
