package io.gnnnids.core.flow;

import io.gnnnids.core.error.StepFailure;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Streams the conn records of one file in any supported {@link FlowFormat}: Zeek JSON lines, Zeek TSV (including
 * IoT-23's {@code conn.log.labeled}, whose last columns are separated by three spaces), or CSV with Zeek field
 * names as header. Gzip-compressed files are recognised by their magic bytes and read transparently.
 *
 * <p>Each record becomes an {@link Item} holding either the validated flow or the reason it was rejected; bad
 * records never end the iteration. Only a file whose format cannot be recognised (or whose header lacks a required
 * column) fails, with a {@link StepFailure} naming the file. Header, comment and blank lines yield no item, but
 * line numbers count every physical line. Read errors surface as {@link UncheckedIOException}.
 */
public final class FlowFileReader implements Closeable, Iterator<FlowFileReader.Item> {

    /** One record of the file: the flow, or the error that kept it out. */
    public static final class Item {
        private final long lineNumber;
        private final byte[] bytes;
        private final Flow flow;
        private final InvalidFlow error;

        Item(long lineNumber, byte[] bytes, Flow flow, InvalidFlow error) {
            this.lineNumber = lineNumber;
            this.bytes = bytes;
            this.flow = flow;
            this.error = error;
        }

        /** 1-based line in the (decompressed) file. */
        public long lineNumber() {
            return lineNumber;
        }

        /** The line as text (bad UTF-8 replaced; use {@link #bytes()} to keep it exactly). */
        public String raw() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The line's bytes without the line break; cut after the size limit for too_large lines. */
        public byte[] bytes() {
            return bytes;
        }

        public Flow flow() {
            return flow;
        }

        public InvalidFlow error() {
            return error;
        }

        public boolean valid() {
            return flow != null;
        }
    }

    private static final String ACCEPTED = "accepted formats: Zeek JSON lines (a '{' per line), Zeek TSV "
            + "(#separator/#fields header, IoT-23 conn.log.labeled included), CSV with a header of Zeek field names "
            + "(ts,uid,id.orig_h,...), each optionally gzip-compressed";

    private final Path file;
    private final InputStream in;
    private final ByteLines lines;
    private final FlowParser parser;
    private final FlowBuilder builder = new FlowBuilder();
    private final List<Item> pending = new ArrayList<>(1);
    private FlowFormat format;
    private LineDecoder decoder;
    private long lineNumber;
    private Item next;
    private boolean done;

    private FlowFileReader(Path file, InputStream in, FlowFormat format, FlowParser parser) {
        this.file = file;
        this.in = in;
        this.parser = parser;
        this.lines = new ByteLines(in, parser.maxBytes());
        this.format = format;
    }

    public static FlowFileReader open(Path file, FlowFormat format) throws IOException {
        return open(file, format, new FlowParser());
    }

    /** Opens the file and reads until the format is known; the parser's size limit also bounds each line. */
    public static FlowFileReader open(Path file, FlowFormat format, FlowParser parser) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        FlowFileReader reader = null;
        try {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            reader = new FlowFileReader(file, in, format, parser);
            reader.start();
            return reader;
        } catch (IOException | RuntimeException e) {
            if (reader != null) {
                reader.close();
            } else {
                raw.close();
            }
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** The format in use: the one asked for, or what AUTO recognised (AUTO only for an empty file). */
    public FlowFormat format() {
        return format;
    }

    /** Reads up to the first non-blank line to fix the format and its decoder. */
    private void start() throws IOException {
        while (lines.next()) {
            lineNumber++;
            byte[] line = lines.bytes();
            int first = firstNonBlank(line);
            if (first < 0) {
                continue;
            }
            if (format == FlowFormat.AUTO) {
                format = detect(line, first);
            }
            decoder = switch (format) {
                case JSON -> this::json;
                case TSV -> new Tsv();
                case CSV -> new Csv();
                case AUTO -> throw new IllegalStateException();
            };
            Item item = decode(line);
            if (item != null) {
                pending.add(item);
            }
            return;
        }
        done = true; // empty file: no records
    }

    private FlowFormat detect(byte[] line, int first) {
        String text = new String(line, first, Math.min(line.length - first, 4096), StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // byte order mark
        }
        if (text.startsWith("{")) {
            return FlowFormat.JSON;
        }
        if (text.startsWith("#separator") || text.startsWith("#fields")) {
            return FlowFormat.TSV;
        }
        if (text.indexOf(',') >= 0 && text.contains("uid")) {
            return FlowFormat.CSV;
        }
        throw new StepFailure(file + ": cannot recognise the format of line " + lineNumber + " ("
                + FlowBuilder.shown(text.strip()) + "); " + ACCEPTED + ". Pass --format to choose one");
    }

    private Item decode(byte[] line) throws IOException {
        if (lines.tooLong()) {
            return new Item(
                    lineNumber,
                    line,
                    null,
                    new InvalidFlow(
                            Reason.TOO_LARGE,
                            "line is " + lines.length()
                                    + " bytes, the limit is " + parser.maxBytes()
                                    + " (the quarantine keeps the first bytes; the "
                                    + "whole line is in the source file)"));
        }
        return decoder.decode(line);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (!pending.isEmpty()) {
            next = pending.remove(0);
            return true;
        }
        try {
            while (!done && lines.next()) {
                lineNumber++;
                Item item = decode(lines.bytes());
                if (item != null) {
                    next = item;
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": read failed at line " + lineNumber + ": " + e.getMessage(), e);
        }
        done = true;
        return false;
    }

    @Override
    public Item next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Item item = next;
        next = null;
        return item;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Turns one non-header line into an Item, or null for lines that carry no record. */
    private interface LineDecoder {
        Item decode(byte[] line) throws IOException;
    }

    private Item json(byte[] line) {
        if (firstNonBlank(line) < 0) {
            return null;
        }
        try {
            return new Item(lineNumber, line, parser.parseJson(line), null);
        } catch (InvalidFlow e) {
            return new Item(lineNumber, line, null, e);
        }
    }

    /** Decodes the line strictly; null when it is not UTF-8. */
    private static String text(byte[] line) {
        if (Utf8.firstInvalid(line, 0, line.length) >= 0) {
            return null;
        }
        int from = line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF
                ? 3
                : 0; // byte order mark some editors put before a CSV header
        return new String(line, from, line.length - from, StandardCharsets.UTF_8);
    }

    private Item invalidUtf8(byte[] line) {
        int bad = Utf8.firstInvalid(line, 0, line.length);
        return new Item(
                lineNumber,
                line,
                null,
                new InvalidFlow(
                        Reason.INVALID_UTF8,
                        String.format("byte 0x%02X at offset %d is not valid UTF-8", line[bad] & 0xFF, bad)));
    }

    /** Builds the flow from cells aligned with the header's columns (null column = a field we do not keep). */
    private Item fromCells(byte[] line, FlowColumn[] columns, List<String> cells, String unset, String empty) {
        builder.clear();
        try {
            if (cells.size() != columns.length) {
                throw new InvalidFlow(
                        Reason.MALFORMED_ROW,
                        "row has " + cells.size() + " cells but the header names " + columns.length + " fields");
            }
            for (int i = 0; i < columns.length; i++) {
                FlowColumn c = columns[i];
                if (c == null) {
                    continue;
                }
                String cell = cells.get(i);
                if (cell.equals(unset) || cell.equals(empty)) {
                    builder.unset(c);
                } else {
                    builder.text(c, cell);
                }
            }
            return new Item(lineNumber, line, builder.build(), null);
        } catch (InvalidFlow e) {
            return new Item(lineNumber, line, null, e);
        }
    }

    private FlowColumn[] columnsOf(List<String> names, String header) {
        FlowColumn[] columns = new FlowColumn[names.size()];
        boolean[] seen = new boolean[FlowColumn.ALL.size()];
        for (int i = 0; i < columns.length; i++) {
            FlowColumn c = FlowParser.column(names.get(i).strip());
            columns[i] = c;
            if (c != null) {
                seen[c.ordinal()] = true;
            }
        }
        List<String> missing = new ArrayList<>();
        for (FlowColumn c : FlowColumn.ALL) {
            if (c.required && !seen[c.ordinal()]) {
                missing.add(c.zeekName);
            }
        }
        if (!missing.isEmpty()) {
            throw new StepFailure(file + ": the " + header + " at line " + lineNumber + " lacks the conn.log field(s) "
                    + String.join(", ", missing) + "; is this a Zeek conn log? " + ACCEPTED);
        }
        return columns;
    }

    /** Zeek ASCII log: '#' directives, then rows split on the separator. */
    private final class Tsv implements LineDecoder {
        private char separator = '\t';
        private String unset = "-";
        private String empty = "(empty)";
        private FlowColumn[] columns;
        private final List<String> cells = new ArrayList<>(32);

        @Override
        public Item decode(byte[] line) {
            String text = text(line);
            if (text == null) {
                return invalidUtf8(line);
            }
            if (text.startsWith("#")) {
                directive(text);
                return null;
            }
            if (text.isBlank()) {
                return null;
            }
            if (columns == null) {
                throw new StepFailure(file + ": line " + lineNumber + " holds data before any #fields header; "
                        + "Zeek TSV logs start with #separator and #fields lines. " + ACCEPTED);
            }
            split(text, separator, cells);
            if (cells.size() != columns.length) {
                splitTripleSpaces(cells);
            }
            for (int i = 0; i < cells.size(); i++) {
                String cell = cells.get(i);
                if (cell.indexOf('\\') >= 0) {
                    cells.set(i, unescape(cell));
                }
            }
            return fromCells(line, columns, cells, unset, empty);
        }

        private void directive(String text) {
            if (text.startsWith("#separator")) {
                String value = unescape(text.substring("#separator".length()).strip());
                if (value.length() == 1) {
                    separator = value.charAt(0);
                }
                return;
            }
            split(text, separator, cells);
            String key = cells.get(0);
            String value = cells.size() > 1 ? cells.get(1) : "";
            switch (key) {
                case "#unset_field" -> unset = value;
                case "#empty_field" -> empty = value;
                case "#fields" -> {
                    List<String> names = new ArrayList<>();
                    for (int i = 1; i < cells.size(); i++) {
                        // IoT-23 conn.log.labeled: "tunnel_parents   label   detailed-label" in one cell
                        for (String name : cells.get(i).trim().split(" +")) {
                            if (!name.isEmpty()) {
                                names.add(name);
                            }
                        }
                    }
                    columns = columnsOf(names, "#fields header");
                }
                default -> {
                    // #path, #open, #close, #types, #set_separator and comments carry nothing a flow needs
                }
            }
        }
    }

    /** IoT-23's labelled logs join their last three columns with three spaces instead of the separator. */
    private static void splitTripleSpaces(List<String> cells) {
        List<String> out = new ArrayList<>(cells.size() + 2);
        for (String cell : cells) {
            int from = 0;
            int gap;
            while ((gap = cell.indexOf("   ", from)) >= 0) {
                out.add(cell.substring(from, gap));
                from = gap + 3;
            }
            if (from > 0) {
                out.add(cell.substring(from));
            } else {
                out.add(cell);
            }
        }
        cells.clear();
        cells.addAll(out);
    }

    /** Zeek writes bytes it cannot print as \xHH. */
    static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\'
                    && i + 3 < b.length
                    && b[i + 1] == 'x'
                    && Character.digit(b[i + 2], 16) >= 0
                    && Character.digit(b[i + 3], 16) >= 0) {
                out.write(Character.digit(b[i + 2], 16) * 16 + Character.digit(b[i + 3], 16));
                i += 3;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void split(String text, char sep, List<String> into) {
        into.clear();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == sep) {
                into.add(text.substring(start, i));
                start = i + 1;
            }
        }
        into.add(text.substring(start));
    }

    /** CSV: the first non-blank line is the header; double-quoted cells may hold commas and "" for a quote. */
    private final class Csv implements LineDecoder {
        private FlowColumn[] columns;
        private final List<String> cells = new ArrayList<>(32);

        @Override
        public Item decode(byte[] line) {
            String text = text(line);
            if (text == null) {
                if (columns == null) {
                    throw new StepFailure(
                            file + ": the CSV header at line " + lineNumber + " is not UTF-8; " + ACCEPTED);
                }
                return invalidUtf8(line);
            }
            if (text.isBlank()) {
                return null;
            }
            boolean wellFormed = splitCsv(text, cells);
            if (columns == null) {
                if (!wellFormed) {
                    throw new StepFailure(
                            file + ": the CSV header at line " + lineNumber + " has an unterminated quote");
                }
                columns = columnsOf(cells, "CSV header");
                return null;
            }
            if (!wellFormed) {
                return new Item(
                        lineNumber,
                        line,
                        null,
                        new InvalidFlow(Reason.MALFORMED_ROW, "unterminated quote in a CSV row"));
            }
            return fromCells(line, columns, cells, "", "(empty)");
        }
    }

    /** Splits one CSV line; false when a quoted cell is not closed. */
    static boolean splitCsv(String text, List<String> into) {
        into.clear();
        int n = text.length();
        int i = 0;
        while (true) {
            if (i < n && text.charAt(i) == '"') {
                StringBuilder cell = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        into.add(cell.toString());
                        return false;
                    }
                    char ch = text.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            cell.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    cell.append(ch);
                    i++;
                }
                // tolerate stray characters between the closing quote and the comma
                int comma = text.indexOf(',', i);
                if (comma < 0) {
                    cell.append(text, i, n);
                    into.add(cell.toString());
                    return true;
                }
                cell.append(text, i, comma);
                into.add(cell.toString());
                i = comma + 1;
            } else {
                int comma = text.indexOf(',', i);
                if (comma < 0) {
                    into.add(text.substring(i));
                    return true;
                }
                into.add(text.substring(i, comma));
                i = comma + 1;
            }
        }
    }

    private static int firstNonBlank(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return i;
            }
        }
        return -1;
    }
}
