package io.gnnnids.core.flow;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes flows in Zeek's JSON log form: dotted keys in conn.log order, unset fields omitted, times with
 * microsecond precision ({@code "ts":1533042911.474174}), then {@code label} and {@code detailed_label} when the
 * flow carries them. {@link FlowParser#parseJson(byte[])} reads the output back to an equal Flow.
 */
public final class ZeekJson {
    private ZeekJson() {}

    public static byte[] toJson(Flow f) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
            write(f, out);
            return out.toByteArray();
        }
    }

    public static String toJsonString(Flow f) {
        return new String(toJson(f), StandardCharsets.UTF_8);
    }

    /** Writes the JSON object alone (no newline); the stream is flushed, not closed. */
    public static void write(Flow f, OutputStream out) {
        try (JsonGenerator g = FlowParser.JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writeObject(f, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the JSON object and a newline: one line of a JSON-lines log. */
    public static void writeLine(Flow f, OutputStream out) {
        write(f, out);
        try {
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeObject(Flow f, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (FlowColumn c : FlowColumn.ALL) {
            Object v = c.get(f);
            if (v == null) {
                continue;
            }
            g.writeFieldName(c.zeekName);
            switch (c.type) {
                case STRING -> g.writeString((String) v);
                case INT -> g.writeNumber((Integer) v);
                case LONG -> g.writeNumber((Long) v);
                case DOUBLE -> writeTime(g, (Double) v);
                case BOOLEAN -> g.writeBoolean((Boolean) v);
            }
        }
        g.writeEndObject();
    }

    /**
     * Zeek prints times and intervals with six decimals. Used whenever that text parses back to the same double,
     * which holds for everything Zeek produced; other doubles (computed ones) keep their full precision so a round
     * trip never changes a value.
     */
    private static void writeTime(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v) && Math.abs(v) < 9e9) {
            long micros = Math.round(v * 1e6);
            // micros and 1e6 are exact doubles, so the division is correctly rounded exactly like parsing the text
            if (Double.doubleToRawLongBits(micros / 1e6) == Double.doubleToRawLongBits(v)) { // also keeps -0.0
                g.writeNumber(micros(micros));
                return;
            }
        }
        g.writeNumber(v);
    }

    static String micros(long micros) {
        boolean negative = micros < 0;
        long abs = Math.abs(micros);
        long whole = abs / 1_000_000;
        long frac = abs % 1_000_000;
        StringBuilder sb = new StringBuilder(24);
        if (negative) {
            sb.append('-');
        }
        sb.append(whole).append('.');
        String digits = Long.toString(frac);
        for (int i = digits.length(); i < 6; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }
}
