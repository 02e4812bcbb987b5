package io.gnnnids.core.flow;

import static io.gnnnids.core.flow.FlowFiles.flows;
import static io.gnnnids.core.flow.FlowFiles.readAll;
import static io.gnnnids.core.flow.FlowFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zeek JSON lines read through {@link FlowFileReader} ({@link JsonLinesDecoder}). */
class JsonLinesDecoderTest {
    @TempDir
    Path dir;

    @Test
    void readsJsonLines() throws Exception {
        Path p = write(
                dir,
                "conn.json",
                Records.TYPICAL + "\n\n" + Records.with("id.orig_p", "70000") + "\r\nnot json\n" + Records.TYPICAL);
        for (FlowFormat format : new FlowFormat[] {FlowFormat.JSON, FlowFormat.AUTO}) {
            List<FlowFileReader.Item> items = readAll(p, format);
            assertEquals(4, items.size());
            assertEquals(Records.typical(), items.get(0).flow());
            assertEquals(1, items.get(0).lineNumber());
            assertEquals(3, items.get(1).lineNumber());
            assertEquals(Reason.PORT_OUT_OF_RANGE, items.get(1).error().reason());
            assertEquals(Records.with("id.orig_p", "70000"), items.get(1).raw());
            assertEquals(Reason.NOT_JSON, items.get(2).error().reason());
            assertEquals("not json", items.get(2).raw());
            assertTrue(items.get(3).valid());
            assertEquals(5, items.get(3).lineNumber());
        }
    }

    @Test
    void readsJsonWrittenByZeekJsonBackIdentically() throws Exception {
        List<Flow> original = flows(Records.sample("CTU-Honeypot-Capture-5-1-labeled.csv"), FlowFormat.CSV);
        Path json = dir.resolve("conn.json");
        try (OutputStream out = Files.newOutputStream(json)) {
            for (Flow f : original) {
                ZeekJson.writeLine(f, out);
            }
        }
        assertEquals(original, flows(json, FlowFormat.AUTO));
    }
}
