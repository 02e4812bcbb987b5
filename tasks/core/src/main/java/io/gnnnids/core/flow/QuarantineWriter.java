package io.gnnnids.core.flow;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps every rejected record, whole, as one JSON line with why it was rejected and where it came from:
 * {@code {"reason","detail","topic","partition","offset","raw"}} for Kafka records,
 * {@code {"reason","detail","source","line","raw"}} for file input. {@code raw} is the original text when it is
 * valid UTF-8, otherwise {@code raw_base64} holds the bytes, so nothing is ever lost or altered.
 *
 * <p>The file is created on the first write: a clean batch leaves no quarantine file. A file left by an earlier run
 * of the same batch is deleted when the writer is opened, so a re-run leaves exactly what it rejected. Not
 * thread-safe.
 */
public final class QuarantineWriter implements Closeable {
    private final Path file;
    private final Map<String, Long> reasons = new TreeMap<>();
    private OutputStream out;
    private JsonGenerator json;
    private long count;

    public QuarantineWriter(Path file) throws IOException {
        this.file = file;
        Files.deleteIfExists(file);
    }

    public Path file() {
        return file;
    }

    /** A record read from Kafka. */
    public void write(byte[] raw, InvalidFlow why, String topic, int partition, long offset) throws IOException {
        JsonGenerator g = start(why);
        g.writeStringField("topic", topic);
        g.writeNumberField("partition", partition);
        g.writeNumberField("offset", offset);
        finish(g, raw, why);
    }

    /** A record read from a file: its path and 1-based line number. */
    public void write(byte[] raw, InvalidFlow why, String source, long line) throws IOException {
        JsonGenerator g = start(why);
        g.writeStringField("source", source);
        g.writeNumberField("line", line);
        finish(g, raw, why);
    }

    /** Records written so far. */
    public long count() {
        return count;
    }

    /** Records per reason code, ordered by code: the manifest's {@code reasons}. */
    public Map<String, Long> reasons() {
        return new LinkedHashMap<>(reasons);
    }

    private JsonGenerator start(InvalidFlow why) throws IOException {
        if (json == null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            json = FlowParser.JSON.createGenerator(out);
            // flush() below only moves each record into the buffer; close() writes it out
            json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            json.setRootValueSeparator(null);
        }
        json.writeStartObject();
        json.writeStringField("reason", why.reason().code());
        json.writeStringField("detail", why.detail());
        return json;
    }

    private void finish(JsonGenerator g, byte[] raw, InvalidFlow why) throws IOException {
        if (Utf8.firstInvalid(raw, 0, raw.length) < 0) {
            g.writeFieldName("raw");
            g.writeUTF8String(raw, 0, raw.length);
        } else {
            g.writeStringField("raw_base64", Base64.getEncoder().encodeToString(raw));
        }
        g.writeEndObject();
        g.flush();
        out.write('\n');
        count++;
        reasons.merge(why.reason().code(), 1L, Long::sum);
    }

    @Override
    public void close() throws IOException {
        if (json != null) {
            json.close(); // closes the stream too
            json = null;
        }
    }
}
