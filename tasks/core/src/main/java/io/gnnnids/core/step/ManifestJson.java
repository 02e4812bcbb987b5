package io.gnnnids.core.step;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.batch.OffsetRange;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest as JSON, read and written token by token. Every step reads one and writes one, and Jackson's data
 * binding took 40-50 ms of each short-lived step to set up before it bound anything. Empty fields of the manifest
 * are left out; unknown fields are skipped, so older and newer steps read each other's manifests.
 */
final class ManifestJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ManifestJson() {}

    static String write(Manifest m) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            string(g, "step", m.step());
            string(g, "version", m.version());
            string(g, "input", m.input());
            if (m.batch() != null) {
                g.writeFieldName("batch");
                batch(g, m.batch());
            }
            map(g, "counts", m.counts(), (k, v) -> g.writeNumberField(k, v));
            map(g, "reasons", m.reasons(), (k, v) -> g.writeNumberField(k, v));
            map(g, "outputs", m.outputs(), (k, v) -> g.writeStringField(k, v));
            map(g, "info", m.info(), (k, v) -> g.writeStringField(k, v));
            string(g, "startedAt", m.startedAt());
            g.writeNumberField("seconds", m.seconds());
            g.writeEndObject();
        }
        return out.toString();
    }

    static Manifest read(Path file) throws IOException {
        try (JsonParser p = JSON.createParser(file.toFile())) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, file);
            String step = null, version = null, input = null, startedAt = null;
            Batch batch = null;
            Map<String, Long> counts = null, reasons = null;
            Map<String, String> outputs = null, info = null;
            double seconds = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NULL) continue;
                switch (name) {
                    case "step" -> step = p.getValueAsString();
                    case "version" -> version = p.getValueAsString();
                    case "input" -> input = p.getValueAsString();
                    case "startedAt" -> startedAt = p.getValueAsString();
                    case "seconds" -> seconds = p.getValueAsDouble();
                    case "batch" -> batch = batch(p, file);
                    case "counts" -> counts = map(p, file, JsonParser::getValueAsLong);
                    case "reasons" -> reasons = map(p, file, JsonParser::getValueAsLong);
                    case "outputs" -> outputs = map(p, file, JsonParser::getValueAsString);
                    case "info" -> info = map(p, file, JsonParser::getValueAsString);
                    default -> p.skipChildren();
                }
            }
            return new Manifest(step, version, input, batch, counts, reasons, outputs, info, startedAt, seconds);
        }
    }

    private static void batch(JsonGenerator g, Batch b) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", b.id());
        g.writeStringField("dir", b.dir());
        g.writeStringField("topic", b.topic());
        g.writeStringField("group", b.group());
        g.writeArrayFieldStart("offsets");
        for (OffsetRange r : b.offsets() == null ? List.<OffsetRange>of() : b.offsets()) {
            g.writeStartObject();
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("start", r.start());
            g.writeNumberField("end", r.end());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("records", b.records());
        g.writeNumberField("quarantined", b.quarantined());
        if (b.days() != null) {
            g.writeArrayFieldStart("days");
            for (String day : b.days()) g.writeString(day);
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static Batch batch(JsonParser p, Path file) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, file);
        String id = null, dir = null, topic = null, group = null;
        List<OffsetRange> offsets = new ArrayList<>();
        List<String> days = null;
        long records = 0, quarantined = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NULL) continue;
            switch (name) {
                case "id" -> id = p.getValueAsString();
                case "dir" -> dir = p.getValueAsString();
                case "topic" -> topic = p.getValueAsString();
                case "group" -> group = p.getValueAsString();
                case "records" -> records = p.getValueAsLong();
                case "quarantined" -> quarantined = p.getValueAsLong();
                case "offsets" -> {
                    expect(p, value, JsonToken.START_ARRAY, file);
                    while (p.nextToken() == JsonToken.START_OBJECT) offsets.add(range(p, file));
                }
                case "days" -> {
                    expect(p, value, JsonToken.START_ARRAY, file);
                    days = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) days.add(p.getValueAsString());
                }
                default -> p.skipChildren();
            }
        }
        return new Batch(id, dir, topic, group, offsets, records, quarantined, days);
    }

    private static OffsetRange range(JsonParser p, Path file) throws IOException {
        int partition = 0;
        long start = 0, end = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "partition" -> partition = p.getValueAsInt();
                case "start" -> start = p.getValueAsLong();
                case "end" -> end = p.getValueAsLong();
                default -> p.skipChildren();
            }
        }
        return new OffsetRange(partition, start, end);
    }

    private static <V> Map<String, V> map(JsonParser p, Path file, ValueReader<V> value) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, file);
        Map<String, V> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            out.put(key, value.read(p));
        }
        return out;
    }

    private static <V> void map(JsonGenerator g, String name, Map<String, V> values, FieldWriter<V> field)
            throws IOException {
        if (values.isEmpty()) return;
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, V> e : values.entrySet()) field.write(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) g.writeStringField(name, value);
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, Path file) throws IOException {
        if (actual != expected)
            throw new JsonParseException(p, file + " is not a manifest: expected " + expected + ", found " + actual);
    }

    @FunctionalInterface
    private interface ValueReader<V> {
        V read(JsonParser p) throws IOException;
    }

    @FunctionalInterface
    private interface FieldWriter<V> {
        void write(String key, V value) throws IOException;
    }
}
