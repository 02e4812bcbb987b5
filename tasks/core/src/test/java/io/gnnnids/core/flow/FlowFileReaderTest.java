package io.gnnnids.core.flow;

import static io.gnnnids.core.flow.FlowFiles.readAll;
import static io.gnnnids.core.flow.FlowFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reader does whatever the format: recognising it, gzip, invalid UTF-8 and overlong lines, empty files. */
class FlowFileReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsGzipCompressedFilesTransparently() throws Exception {
        Path p = dir.resolve("conn.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            for (int i = 0; i < 1000; i++) {
                out.write((Records.with("uid", "\"C" + i + "\"") + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<FlowFileReader.Item> items = readAll(p, FlowFormat.AUTO);
        assertEquals(1000, items.size());
        assertEquals("C999", items.get(999).flow().uid());
        assertTrue(items.stream().allMatch(FlowFileReader.Item::valid));
    }

    @Test
    void reportsInvalidUtf8AndOverlongLinesAsItems() throws Exception {
        Path p = dir.resolve("mixed.json");
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write((Records.TYPICAL + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}', '\n'});
            out.write(("{\"uid\":\"" + "x".repeat(5000) + "\"}\n").getBytes(StandardCharsets.UTF_8));
            out.write((Records.TYPICAL + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<FlowFileReader.Item> items = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(p, FlowFormat.AUTO, new FlowParser(1000))) {
            assertEquals(FlowFormat.JSON, r.format());
            r.forEachRemaining(items::add);
        }
        assertEquals(4, items.size());
        assertEquals(Reason.INVALID_UTF8, items.get(1).error().reason());
        assertEquals(9 - 1, items.get(1).bytes().length);
        assertEquals(Reason.TOO_LARGE, items.get(2).error().reason());
        assertEquals(1001, items.get(2).bytes().length);
        assertTrue(items.get(3).valid());
        assertEquals(4, items.get(3).lineNumber());
    }

    @Test
    void refusesFileInUnknownFormat() throws Exception {
        Path p = write(dir, "notes.txt", "\n\nthese are not flows\nat all\n");
        StepFailure e = assertThrows(StepFailure.class, () -> FlowFileReader.open(p, FlowFormat.AUTO));
        assertTrue(e.getMessage().startsWith(p + ": cannot recognise the format of line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("Zeek JSON lines"), e.getMessage());
        assertTrue(e.getMessage().contains("CSV"), e.getMessage());
    }

    @Test
    void parsesFormatNamesAsTyped() {
        assertEquals(FlowFormat.TSV, FlowFormat.parse("tsv"));
        assertEquals(FlowFormat.AUTO, FlowFormat.parse(" Auto "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlowFormat.parse("xml"));
        assertEquals("unknown flow file format 'xml'; use auto, json, tsv or csv", e.getMessage());
    }

    @Test
    void emptyFileHasNoRecords() throws Exception {
        assertTrue(readAll(write(dir, "empty.json", ""), FlowFormat.AUTO).isEmpty());
        assertTrue(readAll(write(dir, "blank.json", "\n  \n"), FlowFormat.JSON).isEmpty());
    }
}
