package io.gnnnids.core.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static InvalidFlow reject(FlowParser parser, byte[] raw) {
        return assertThrows(InvalidFlow.class, () -> parser.parseJson(raw));
    }

    @Test
    void writesEachRejectedRecordWholeWithReasonAndCoordinates() throws Exception {
        Path file = dir.resolve("batch/quarantine.jsonl");
        FlowParser parser = new FlowParser(1000);
        byte[] badPort = Records.with("id.orig_p", "70000").getBytes(StandardCharsets.UTF_8);
        byte[] badUtf8 = {'{', '"', 'u', '"', ':', '"', (byte) 0xFF, '"', '}'};
        byte[] huge = ("{\"uid\":\"" + "x\\\"\n".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (QuarantineWriter q = new QuarantineWriter(file)) {
            q.write(badPort, reject(parser, badPort), "zeek-conn", 2, 41);
            q.write(badUtf8, reject(parser, badUtf8), "zeek-conn", 0, 7);
            q.write(huge, reject(parser, huge), "zeek-conn", 1, 99);
            q.write(badPort, reject(parser, badPort), "/data/conn.log", 12);
            assertEquals(4, q.count());
            assertEquals(
                    List.of("invalid_utf8", "port_out_of_range", "too_large"),
                    List.copyOf(q.reasons().keySet()));
            assertEquals(Map.of("invalid_utf8", 1L, "port_out_of_range", 2L, "too_large", 1L), q.reasons());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());

        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("port_out_of_range", first.get("reason").asText());
        assertEquals("id.orig_p=70000 is outside 0-65535", first.get("detail").asText());
        assertEquals("zeek-conn", first.get("topic").asText());
        assertEquals(2, first.get("partition").asInt());
        assertEquals(41, first.get("offset").asLong());
        assertEquals(
                new String(badPort, StandardCharsets.UTF_8), first.get("raw").asText());

        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals("invalid_utf8", second.get("reason").asText());
        assertFalse(second.has("raw"));
        assertArrayEquals(
                badUtf8, Base64.getDecoder().decode(second.get("raw_base64").asText()));

        JsonNode third = JSON.readTree(lines.get(2));
        assertEquals("too_large", third.get("reason").asText());
        assertEquals(new String(huge, StandardCharsets.UTF_8), third.get("raw").asText());

        JsonNode fourth = JSON.readTree(lines.get(3));
        assertEquals("/data/conn.log", fourth.get("source").asText());
        assertEquals(12, fourth.get("line").asLong());
    }

    @Test
    void leavesNoFileForCleanBatchAndRemovesStaleOne() throws Exception {
        Path file = dir.resolve("quarantine.jsonl");
        Files.writeString(file, "left by an earlier run\n");
        try (QuarantineWriter q = new QuarantineWriter(file)) {
            assertEquals(0, q.count());
            assertTrue(q.reasons().isEmpty());
        }
        assertFalse(Files.exists(file));
    }
}
