package io.gnnnids.core.flow;

import com.fasterxml.jackson.core.io.NumberInput;

import java.util.Arrays;

/**
 * Collects one record's field values from any format (JSON values, TSV or CSV cells), converting each to the
 * column's type, then builds and validates the {@link Flow}. Type conversion lives here and every semantic rule in
 * {@link FlowValidator}, so all input formats accept and reject exactly the same records. Not thread-safe.
 */
final class FlowBuilder {
    private static final FlowColumn[] COLUMNS = FlowColumn.values();
    private static final int MAX_SHOWN = 60;

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
            case DOUBLE -> parseDouble(c, raw);
            case BOOLEAN -> parseBoolean(c, raw);
        };
    }

    /** A JSON integer. */
    void integer(FlowColumn c, long v) throws InvalidFlow {
        values[c.ordinal()] = switch (c.type) {
            case INT -> toPort(c, v);
            case LONG -> v;
            case DOUBLE -> (double) v;
            case STRING, BOOLEAN -> throw badType(c, Long.toString(v), "should be a " + typeName(c));
        };
    }

    /** A JSON integer too large for a long. */
    void hugeInteger(FlowColumn c, String digits) throws InvalidFlow {
        switch (c.type) {
            case INT -> throw new InvalidFlow(Reason.PORT_OUT_OF_RANGE,
                    c.zeekName + "=" + shown(digits) + " is outside 0-65535");
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
