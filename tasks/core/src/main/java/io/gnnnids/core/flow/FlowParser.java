package io.gnnnids.core.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one Zeek conn record in JSON into a validated {@link Flow}, or says why it cannot.
 *
 * <p>Accepts what Zeek, its Kafka writer and labelled data sets write: dotted keys ({@code id.orig_h}), keys
 * flattened with another scope separator or renamed by a field name map ({@code id_orig_h}, see
 * {@link #column(String)}) or the nested {@code {"id":{"orig_h":...}}} form; zeek-kafka's tagged form
 * {@code {"conn":{...}}} (a tag naming another log is quarantined as {@link Reason#NOT_CONN}); unset fields absent,
 * null, "-" or empty; numbers as JSON numbers or numeric strings; ts as epoch seconds, epoch milliseconds or ISO 8601
 * (see {@link FlowBuilder}); booleans as true/false or "T"/"F"; {@code label} in any case; {@code detailed_label} or
 * {@code detailed-label}. Unknown keys (tunnel_parents, community_id, _path, _write_ts, vlan, ...) are ignored.
 *
 * <p>Uses Jackson's streaming parser only (no tree, no databind): a record costs one pass over its bytes.
 * Thread-safe: instances hold no mutable state.
 */
public final class FlowParser {
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    /** Shared: JsonFactory is thread-safe and caches symbol tables. NaN/Infinity tokens parse so they can be
     *  reported as not_finite rather than not_json. */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // ts and duration are in every record
            .build();

    private static final Map<String, FlowColumn> KEYS = new HashMap<>();
    private static final Map<String, FlowColumn> ID_KEYS = new HashMap<>();

    static {
        for (FlowColumn c : FlowColumn.ALL) {
            KEYS.put(c.zeekName, c);
            if (c.zeekName.startsWith("id.")) {
                ID_KEYS.put(c.zeekName.substring(3), c);
            }
        }
        KEYS.put("detailed-label", FlowColumn.DETAILED_LABEL);
    }

    private final int maxBytes;

    public FlowParser() {
        this(DEFAULT_MAX_BYTES);
    }

    public FlowParser(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * The column a Zeek field name (JSON key, #fields entry or CSV header) stands for, or null if not ours. Besides
     * Zeek's own {@code id.orig_h}, the four id fields are recognised with any other scope separator of punctuation
     * ({@code Log::default_scope_sep = "_"} gives {@code id_orig_h}, as shipped to Elasticsearch, which refuses dots;
     * field name maps write the same or {@code id-orig_h}). Every reader, JSON or TSV or CSV, names columns here.
     */
    public static FlowColumn column(String zeekName) {
        FlowColumn c = KEYS.get(zeekName);
        return c != null || !zeekName.startsWith("id") ? c : scopedId(zeekName);
    }

    /** id, then one or more punctuation characters, then orig_h, orig_p, resp_h or resp_p. */
    private static FlowColumn scopedId(String name) {
        int n = name.length();
        if (n < 9) {
            return null;
        }
        FlowColumn c = ID_KEYS.get(name.substring(n - 6));
        if (c == null) {
            return null;
        }
        for (int i = 2; i < n - 6; i++) {
            char ch = name.charAt(i);
            if (Character.isLetterOrDigit(ch) || Character.isWhitespace(ch)) {
                return null;
            }
        }
        return c;
    }

    public Flow parseJson(byte[] utf8) throws InvalidFlow {
        if (utf8.length > maxBytes) {
            throw tooLarge(utf8.length);
        }
        int bad = Utf8.firstInvalid(utf8, 0, utf8.length);
        if (bad >= 0) {
            throw new InvalidFlow(
                    Reason.INVALID_UTF8,
                    String.format("byte 0x%02X at offset %d is not valid UTF-8", utf8[bad] & 0xFF, bad));
        }
        // Jackson would sniff NUL bytes as UTF-16/32; JSON text never starts with one.
        if (utf8.length > 1 && (utf8[0] == 0 || utf8[1] == 0)) {
            throw new InvalidFlow(Reason.NOT_JSON, "starts with a NUL byte; expected a JSON object");
        }
        try (JsonParser p = JSON.createParser(utf8)) {
            return read(p);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new InvalidFlow(Reason.NOT_JSON, String.valueOf(e.getMessage()));
        }
    }

    public Flow parseJson(String line) throws InvalidFlow {
        if (line.length() > maxBytes) { // every char is at least one UTF-8 byte
            throw tooLarge(line.length());
        }
        int size = utf8Length(line);
        if (size < 0) {
            throw new InvalidFlow(
                    Reason.INVALID_UTF8, "unpaired surrogate at index " + (-size - 1) + " cannot be encoded as UTF-8");
        }
        if (size > maxBytes) {
            throw tooLarge(size);
        }
        try (JsonParser p = JSON.createParser(line)) {
            return read(p);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new InvalidFlow(Reason.NOT_JSON, String.valueOf(e.getMessage()));
        }
    }

    private Flow read(JsonParser p) throws IOException, InvalidFlow {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw new InvalidFlow(Reason.NOT_JSON, "expected a JSON object, found " + describe(t));
        }
        FlowBuilder b = new FlowBuilder();
        boolean first = true;
        boolean tagged = false;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            FlowColumn c = tagged ? null : column(name);
            if (c != null) {
                value(p, t, c, b);
            } else if (t == JsonToken.START_OBJECT && !tagged && name.equals("id")) {
                readId(p, b);
            } else if (t == JsonToken.START_OBJECT && first) {
                readTagged(p, name, b);
                tagged = true;
            } else {
                p.skipChildren();
            }
            first = false;
        }
        if (p.nextToken() != null) {
            throw new InvalidFlow(
                    Reason.NOT_JSON, "more content after the JSON object; expected one object per message");
        }
        return b.build();
    }

    /**
     * zeek-kafka with {@code Kafka::tag_json=T}: {@code {"conn": {...record...}}}, the tag being the log's path,
     * followed by the {@code Kafka::additional_message_values} as top-level strings. The record is the inner object;
     * the caller skips the rest of the outer one. Paths such as conn_long (conn records kept apart by a filter) are
     * conn records too; any other tag is a record of another log.
     */
    private static void readTagged(JsonParser p, String tag, FlowBuilder b) throws IOException, InvalidFlow {
        if (!isConnPath(tag)) {
            throw new InvalidFlow(
                    Reason.NOT_CONN,
                    "tagged \"" + FlowBuilder.shown(tag) + "\": a record of Zeek's " + FlowBuilder.shown(tag)
                            + " log, not conn (send only Conn::LOG to this topic)");
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            FlowColumn c = column(name);
            if (c != null) {
                value(p, t, c, b);
            } else if (t == JsonToken.START_OBJECT && name.equals("id")) {
                readId(p, b);
            } else {
                p.skipChildren();
            }
        }
    }

    /** conn, or conn followed by _ - or . and more (conn_long, conn-internal). */
    static boolean isConnPath(String path) {
        return path.equals("conn")
                || (path.length() > 5
                        && path.startsWith("conn")
                        && (path.charAt(4) == '_' || path.charAt(4) == '-' || path.charAt(4) == '.'));
    }

    /** Zeek's nested form {"id":{"orig_h":...,"orig_p":...}}. */
    private static void readId(JsonParser p, FlowBuilder b) throws IOException, InvalidFlow {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            FlowColumn c = ID_KEYS.get(p.currentName());
            JsonToken t = p.nextToken();
            if (c != null) {
                value(p, t, c, b);
            } else {
                p.skipChildren();
            }
        }
    }

    private static void value(JsonParser p, JsonToken t, FlowColumn c, FlowBuilder b) throws IOException, InvalidFlow {
        switch (t) {
            case VALUE_STRING -> b.text(c, p.getText());
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType nt = p.getNumberType();
                if (nt == JsonParser.NumberType.BIG_INTEGER) {
                    b.hugeInteger(c, p.getText());
                } else {
                    b.integer(c, p.getLongValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> b.decimal(c, p.getDoubleValue());
            case VALUE_TRUE -> b.bool(c, true);
            case VALUE_FALSE -> b.bool(c, false);
            case VALUE_NULL -> b.unset(c);
            case START_OBJECT -> throw b.structured(c, "an object");
            case START_ARRAY -> throw b.structured(c, "an array");
            default -> throw new InvalidFlow(Reason.NOT_JSON, "unexpected " + describe(t) + " for " + c.zeekName);
        }
    }

    private InvalidFlow tooLarge(int size) {
        return new InvalidFlow(Reason.TOO_LARGE, "message is " + size + " bytes, the limit is " + maxBytes);
    }

    private static InvalidFlow notJson(JsonProcessingException e) {
        String where =
                e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
        return new InvalidFlow(Reason.NOT_JSON, FlowBuilder.shown(String.valueOf(e.getOriginalMessage())) + where);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    /** UTF-8 size of the text, or -(index + 1) of the first unpaired surrogate. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n++;
            } else if (ch < 0x800) {
                n += 2;
            } else if (!Character.isSurrogate(ch)) {
                n += 3;
            } else if (Character.isHighSurrogate(ch)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                return -(i + 1);
            }
        }
        return n;
    }
}
