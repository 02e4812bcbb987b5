package io.gnnnids.core.flow;

import io.gnnnids.core.error.StepFailure;
import java.io.BufferedInputStream;
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
 *
 * <p>This class opens the file, recognises the format and bounds each line's size; turning a line into a record is
 * the format's {@link FlowLineDecoder}: {@link JsonLinesDecoder}, {@link ZeekTsvDecoder} or {@link CsvDecoder}.
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

    private final Path file;
    private final InputStream in;
    private final ByteLines lines;
    private final FlowParser parser;
    private final List<Item> pending = new ArrayList<>(1);
    private FlowFormat format;
    private FlowLineDecoder decoder;
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
            int first = ByteLines.firstNonBlank(line);
            if (first < 0) {
                continue;
            }
            if (format == FlowFormat.AUTO) {
                format = detect(line, first);
            }
            decoder = switch (format) {
                case JSON -> new JsonLinesDecoder(parser);
                case TSV -> new ZeekTsvDecoder(file);
                case CSV -> new CsvDecoder(file);
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
                + FlowBuilder.shown(text.strip()) + "); " + FlowFormat.ACCEPTED + ". Pass --format to choose one");
    }

    private Item decode(byte[] line) {
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
        return decoder.decode(line, lineNumber);
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
}
