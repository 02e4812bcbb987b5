package io.gnnnids.core.flow;

import com.fasterxml.jackson.core.io.NumberInput;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Collects one record's field values from any format (JSON values, TSV or CSV cells), converting each to the
 * column's type, then builds and validates the {@link Flow}. Type conversion lives here and every semantic rule in
 * {@link FlowValidator}, so all input formats accept and reject exactly the same records. Not thread-safe.
 */
final class FlowBuilder {
    private static final FlowColumn[] COLUMNS = FlowColumn.values();
    private static final int MAX_SHOWN = 60;
    /**
     * An integer ts from here on is milliseconds (Zeek's JSON::TS_MILLIS): as seconds it would be the year 5138, far
     * past what {@link FlowValidator} accepts, while every accepted time (1990 on) is above it in milliseconds.
     */
    static final long MILLIS_FROM = 100_000_000_000L;

    private final Object[] values = new Object[COLUMNS.length];

    void clear() {
        Arrays.fill(values, null);
    }

    /** Zeek's unset and empty markers, plus the empty cell CSV exports use. */
    static boolean isUnset(String raw) {
        return raw == null || raw.isEmpty() || raw.equals("-") || raw.equals("(empty)");
    }

    void unset(FlowColumn c) {
        values[c.ordinal()] = null;
    }

    /** A value in text form: a TSV/CSV cell or a JSON string ("443", "T", "0.5", "-"). */
    void text(FlowColumn c, String raw) throws InvalidFlow {
        if (isUnset(raw)) {
            values[c.ordinal()] = null;
            return;
        }
        values[c.ordinal()] = switch (c.type) {
            case STRING -> raw;
            case INT -> parsePort(c, raw);
            case LONG -> parseLong(c, raw);
            case DOUBLE -> c == FlowColumn.TS ? parseTime(raw) : parseDouble(c, raw);
            case BOOLEAN -> parseBoolean(c, raw);
        };
    }

    /** A JSON integer. */
    void integer(FlowColumn c, long v) throws InvalidFlow {
        values[c.ordinal()] = switch (c.type) {
            case INT -> toPort(c, v);
            case LONG -> v;
            case DOUBLE -> c == FlowColumn.TS ? epochSeconds(v) : (double) v;
            case STRING, BOOLEAN -> throw badType(c, Long.toString(v), "should be a " + typeName(c));
        };
    }

    /** A JSON integer too large for a long. */
    void hugeInteger(FlowColumn c, String digits) throws InvalidFlow {
        switch (c.type) {
            case INT ->
                throw new InvalidFlow(
                        Reason.PORT_OUT_OF_RANGE, c.zeekName + "=" + shown(digits) + " is outside 0-65535");
            case DOUBLE -> values[c.ordinal()] = Double.parseDouble(digits);
            default -> throw badType(c, digits, "is out of range");
        }
    }

    /** A JSON number with a fraction or exponent, or NaN/Infinity. */
    void decimal(FlowColumn c, double v) throws InvalidFlow {
        switch (c.type) {
            case DOUBLE -> values[c.ordinal()] = v;
            case INT, LONG -> {
                if (!Double.isFinite(v)) {
                    throw new InvalidFlow(Reason.NOT_FINITE, c.zeekName + "=" + v + " is not a finite number");
                }
                throw badType(c, Double.toString(v), "is not an integer");
            }
            default -> throw badType(c, Double.toString(v), "should be a " + typeName(c));
        }
    }

    void bool(FlowColumn c, boolean v) throws InvalidFlow {
        if (c.type != FlowColumn.Type.BOOLEAN) {
            throw badType(c, Boolean.toString(v), "should be a " + typeName(c));
        }
        values[c.ordinal()] = v;
    }

    /** An object or array where a scalar belongs. */
    InvalidFlow structured(FlowColumn c, String what) {
        return new InvalidFlow(Reason.BAD_TYPE, c.zeekName + " is " + what + ", expected a " + typeName(c));
    }

    Flow build() throws InvalidFlow {
        for (FlowColumn c : COLUMNS) {
            if (c.required && values[c.ordinal()] == null) {
                throw new InvalidFlow(Reason.MISSING_FIELD, c.zeekName + " is missing");
            }
        }
        Object[] v = values;
        Flow f = new Flow(
                (Double) v[FlowColumn.TS.ordinal()],
                (String) v[FlowColumn.UID.ordinal()],
                (String) v[FlowColumn.ORIG_H.ordinal()],
                (Integer) v[FlowColumn.ORIG_P.ordinal()],
                (String) v[FlowColumn.RESP_H.ordinal()],
                (Integer) v[FlowColumn.RESP_P.ordinal()],
                (String) v[FlowColumn.PROTO.ordinal()],
                (String) v[FlowColumn.SERVICE.ordinal()],
                (Double) v[FlowColumn.DURATION.ordinal()],
                (Long) v[FlowColumn.ORIG_BYTES.ordinal()],
                (Long) v[FlowColumn.RESP_BYTES.ordinal()],
                (String) v[FlowColumn.CONN_STATE.ordinal()],
                (Boolean) v[FlowColumn.LOCAL_ORIG.ordinal()],
                (Boolean) v[FlowColumn.LOCAL_RESP.ordinal()],
                (Long) v[FlowColumn.MISSED_BYTES.ordinal()],
                (String) v[FlowColumn.HISTORY.ordinal()],
                (Long) v[FlowColumn.ORIG_PKTS.ordinal()],
                (Long) v[FlowColumn.ORIG_IP_BYTES.ordinal()],
                (Long) v[FlowColumn.RESP_PKTS.ordinal()],
                (Long) v[FlowColumn.RESP_IP_BYTES.ordinal()],
                FlowValidator.normaliseLabel((String) v[FlowColumn.LABEL.ordinal()]),
                (String) v[FlowColumn.DETAILED_LABEL.ordinal()]);
        return FlowValidator.validate(f);
    }

    private static Integer toPort(FlowColumn c, long v) throws InvalidFlow {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new InvalidFlow(Reason.PORT_OUT_OF_RANGE, c.zeekName + "=" + v + " is outside 0-65535");
        }
        return (int) v; // the range itself is FlowValidator's rule
    }

    private static Integer parsePort(FlowColumn c, String raw) throws InvalidFlow {
        return toPort(c, parseLong(c, raw));
    }

    private static Long parseLong(FlowColumn c, String raw) throws InvalidFlow {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            if (nonFinite(raw) != 0) {
                throw new InvalidFlow(Reason.NOT_FINITE, c.zeekName + "=" + shown(raw) + " is not a finite number");
            }
            throw badType(c, raw, c.type == FlowColumn.Type.INT ? "is not an integer port" : "is not an integer");
        }
    }

    private static Double parseDouble(FlowColumn c, String raw) throws InvalidFlow {
        // Double.parseDouble alone would also take " 1", "1d" and hex floats; Zeek writes plain decimals only.
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == 'e' || ch == 'E' || ch == '-' || ch == '+')) {
                double special = nonFinite(raw);
                if (special != 0) {
                    return special; // FlowValidator reports it as not_finite
                }
                throw badType(c, raw, "is not a number");
            }
        }
        try {
            return NumberInput.parseDouble(raw, true); // the fast parser: every CSV/TSV row has ts and duration
        } catch (NumberFormatException e) {
            throw badType(c, raw, "is not a number");
        }
    }

    /** A time as text: ISO 8601, or epoch seconds (or milliseconds) in decimal. */
    private static Double parseTime(String raw) throws InvalidFlow {
        if (raw.length() > 10 && raw.charAt(4) == '-') {
            return isoSeconds(raw);
        }
        Double v = parseDouble(FlowColumn.TS, raw);
        if (v >= MILLIS_FROM && v < 1e18 && raw.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return epochSeconds(Long.parseLong(raw));
        }
        return v;
    }

    private static double epochSeconds(long v) {
        return v >= MILLIS_FROM ? v / 1000d : v; // correctly rounded, as if "1533042911.474" had been parsed
    }

    /**
     * Zeek's JSON::TS_ISO8601 form, {@code 2026-11-30T10:00:00.123456Z}, and what other shippers write for it: no
     * fraction or up to nine digits, {@code Z} or an offset ({@code +01:00}, {@code +0100}). A time without a zone
     * is refused, as it would be local time somewhere unknown. The result is the same double as the epoch form.
     */
    static double isoSeconds(String raw) throws InvalidFlow {
        int n = raw.length();
        if (n < 20
                || raw.charAt(4) != '-'
                || raw.charAt(7) != '-'
                || raw.charAt(10) != 'T'
                || raw.charAt(13) != ':'
                || raw.charAt(16) != ':') {
            throw badIso(raw);
        }
        int year = digits(raw, 0, 4);
        int month = digits(raw, 5, 7);
        int day = digits(raw, 8, 10);
        int hour = digits(raw, 11, 13);
        int minute = digits(raw, 14, 16);
        int second = digits(raw, 17, 19);
        int i = 19;
        String fraction = "";
        if (raw.charAt(i) == '.') {
            int end = i + 1;
            while (end < n && raw.charAt(end) >= '0' && raw.charAt(end) <= '9') {
                end++;
            }
            fraction = raw.substring(i + 1, end);
            i = end;
        }
        int offset = zoneOffset(raw, i);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || fraction.length() > 9
                || (i > 19 && fraction.isEmpty())
                || offset == Integer.MIN_VALUE) {
            throw badIso(raw);
        }
        long epoch;
        try {
            epoch = LocalDate.of(year, month, day).toEpochDay() * 86_400L
                    + hour * 3600L
                    + minute * 60L
                    + second
                    - offset;
        } catch (DateTimeException e) {
            throw badIso(raw); // 2026-02-30 and the like
        }
        if (fraction.equals("1000000")) {
            // Zeek prints the fraction with %06.0f, so one within half a microsecond of the next second reads .1000000
            return epoch + 1;
        }
        if (fraction.isEmpty()) {
            return epoch;
        }
        return epoch >= 0
                ? NumberInput.parseDouble(epoch + "." + fraction, true)
                : epoch + NumberInput.parseDouble("0." + fraction, true);
    }

    /** Seconds east of UTC for "Z", "+hh:mm", "+hhmm" or "+hh" ending the text at {@code from}; MIN_VALUE if none. */
    private static int zoneOffset(String raw, int from) {
        int n = raw.length();
        if (from == n - 1 && (raw.charAt(from) == 'Z' || raw.charAt(from) == 'z')) {
            return 0;
        }
        if (from >= n || (raw.charAt(from) != '+' && raw.charAt(from) != '-')) {
            return Integer.MIN_VALUE;
        }
        int sign = raw.charAt(from) == '-' ? -1 : 1;
        String rest = raw.substring(from + 1);
        int hours;
        int minutes;
        if (rest.length() == 5 && rest.charAt(2) == ':') {
            hours = digits(rest, 0, 2);
            minutes = digits(rest, 3, 5);
        } else if (rest.length() == 4 || rest.length() == 2) {
            hours = digits(rest, 0, 2);
            minutes = rest.length() == 4 ? digits(rest, 2, 4) : 0;
        } else {
            return Integer.MIN_VALUE;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        return sign * (hours * 3600 + minutes * 60);
    }

    /** The decimal number in raw[from, to), or -1 if any of it is not a digit. */
    private static int digits(String raw, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char ch = raw.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static InvalidFlow badIso(String raw) {
        return badType(
                FlowColumn.TS,
                raw,
                "is neither epoch seconds nor an ISO 8601 time with a zone " + "(2026-11-30T10:00:00.123456Z)");
    }

    /** NaN or +-Infinity for the spellings JSON writers and Zeek use, 0 for anything else. */
    private static double nonFinite(String raw) {
        String s = raw.startsWith("+") || raw.startsWith("-") ? raw.substring(1) : raw;
        if (s.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity")) {
            return raw.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return 0;
    }

    private static Boolean parseBoolean(FlowColumn c, String raw) throws InvalidFlow {
        return switch (raw) {
            case "T", "true" -> Boolean.TRUE;
            case "F", "false" -> Boolean.FALSE;
            default -> throw badType(c, raw, "is not a boolean (T/F or true/false)");
        };
    }

    private static InvalidFlow badType(FlowColumn c, String raw, String problem) {
        return new InvalidFlow(Reason.BAD_TYPE, c.zeekName + "=\"" + shown(raw) + "\" " + problem);
    }

    private static String typeName(FlowColumn c) {
        return switch (c.type) {
            case STRING -> "string";
            case INT -> "port number";
            case LONG -> "count";
            case DOUBLE -> "number";
            case BOOLEAN -> "boolean";
        };
    }

    static String shown(String raw) {
        return raw.length() <= MAX_SHOWN ? raw : raw.substring(0, MAX_SHOWN) + "...";
    }
}
