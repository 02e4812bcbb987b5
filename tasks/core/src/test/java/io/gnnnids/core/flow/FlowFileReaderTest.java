package io.gnnnids.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowFileReaderTest {
    private static final String FIELDS =
            "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
                    + "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\t"
                    + "orig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents";
    private static final String TYPES = "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
            + "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]";
    private static final String HEADER = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
            + "#unset_field\t-\n#path\tconn\n#open\t2018-07-31-15-15-09\n";

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static List<FlowFileReader.Item> readAll(Path file, FlowFormat format) throws IOException {
        List<FlowFileReader.Item> items = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(file, format)) {
            r.forEachRemaining(items::add);
        }
        return items;
    }

    private static Flow typical() throws InvalidFlow {
        return new FlowParser().parseJson(Records.TYPICAL);
    }

    @Test
    void readsJsonLines() throws Exception {
        Path p = file(
                "conn.json",
                Records.TYPICAL + "\n\n" + Records.with("id.orig_p", "70000") + "\r\nnot json\n" + Records.TYPICAL);
        for (FlowFormat format : new FlowFormat[] {FlowFormat.JSON, FlowFormat.AUTO}) {
            List<FlowFileReader.Item> items = readAll(p, format);
            assertEquals(4, items.size());
            assertEquals(typical(), items.get(0).flow());
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
    void readsZeekTsvWithFieldsHeader() throws Exception {
        Path p = file(
                "conn.log",
                HEADER + "#fields\t" + FIELDS + "\n#types\t" + TYPES + "\n"
                        + "1533042911.474174\tC5JLGOoxIw2dBZt47\t192.168.100.113\t123\t81.2.254.224\t123\tudp\tntp\t0.005490\t48"
                        + "\t48\tSF\tT\tF\t0\tDd\t1\t76\t1\t76\t(empty)\n"
                        + "1537523548.856511\tCaCceb4pNJvXW0Wpi5\t::\t135\tff02::1:ff27:561e\t136\ticmp\t-\t-\t-\t-\tOTH\t-\t-"
                        + "\t0\t-\t1\t64\t0\t0\t(empty)\n"
                        + "1537523548.856511\tCbad\t::\t135\tff02::1\t136\ticmp\t-\t-\t-\t-\tXX\t-\t-\t0\t-\t1\t64\t0\t0\t-\n"
                        + "#close\t2018-07-31-15-25-09\n");
        for (FlowFormat format : new FlowFormat[] {FlowFormat.TSV, FlowFormat.AUTO}) {
            List<FlowFileReader.Item> items = readAll(p, format);
            assertEquals(3, items.size());
            Flow first = items.get(0).flow();
            Flow expected = typical();
            assertEquals(
                    new Flow(
                            expected.ts(),
                            expected.uid(),
                            expected.origH(),
                            expected.origP(),
                            expected.respH(),
                            expected.respP(),
                            expected.proto(),
                            expected.service(),
                            expected.duration(),
                            expected.origBytes(),
                            expected.respBytes(),
                            expected.connState(),
                            true,
                            false,
                            expected.missedBytes(),
                            expected.history(),
                            expected.origPkts(),
                            expected.origIpBytes(),
                            expected.respPkts(),
                            expected.respIpBytes(),
                            null,
                            null),
                    first);
            assertEquals(9, items.get(0).lineNumber());
            Flow icmp = items.get(1).flow();
            assertEquals("::", icmp.origH());
            assertEquals(135, icmp.origP());
            assertNull(icmp.service());
            assertNull(icmp.duration());
            assertNull(icmp.history());
            assertEquals(Reason.UNKNOWN_CONN_STATE, items.get(2).error().reason());
        }
    }

    @Test
    void readsIot23LabeledTsvWithThreeSpaceColumns() throws Exception {
        Path p = file(
                "conn.log.labeled",
                HEADER
                        + "#fields\t" + FIELDS + "   label   detailed-label\n"
                        + "#types\t" + TYPES + "   string   string\n"
                        + "1533042911.474174\tC5JLGOoxIw2dBZt47\t192.168.100.113\t123\t81.2.254.224\t123\tudp\t-\t0.005490\t48"
                        + "\t48\tSF\t-\t-\t0\tDd\t1\t76\t1\t76\t(empty)   Benign   -\n"
                        + "1533042921.474234\tCf3cHf4jZr9nvD808i\t192.168.100.113\t38312\t185.244.25.235\t6667\ttcp\t-\t-\t-\t-"
                        + "\tS0\t-\t-\t0\tS\t1\t60\t0\t0\t-   Malicious   C&C\n"
                        + "#close\t2018-07-31-15-25-09\n");
        for (FlowFormat format : new FlowFormat[] {FlowFormat.TSV, FlowFormat.AUTO}) {
            List<FlowFileReader.Item> items = readAll(p, format);
            assertEquals(2, items.size());
            assertTrue(items.get(0).valid(), () -> items.get(0).error().getMessage());
            assertEquals(Flow.BENIGN, items.get(0).flow().label());
            assertNull(items.get(0).flow().detailedLabel());
            assertEquals(Flow.MALICIOUS, items.get(1).flow().label());
            assertEquals("C&C", items.get(1).flow().detailedLabel());
            assertEquals(6667, items.get(1).flow().respP());
        }
    }

    @Test
    void readsCsvWithZeekHeaderAndQuotedCells() throws Exception {
        Path p = file(
                "conn.csv",
                "\uFEFFts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,service,duration,"
                        + "orig_bytes,label,detailed-label,extra\n"
                        + "1533042911.474174,C5JLGOoxIw2dBZt47,192.168.100.113,123,81.2.254.224,123,udp,,0.005490,48,Benign,-,x\n"
                        + "1533042912,\"C\"\"q,uoted\",10.0.0.1,1,10.0.0.2,2,tcp,\"http,ssl\",,(empty),malicious,DDoS,\n"
                        + "1533042913,Cshort,10.0.0.1,1\n"
                        + "1533042914,\"Cunterminated,10.0.0.1,1,10.0.0.2,2,tcp,,,,,,\n");
        for (FlowFormat format : new FlowFormat[] {FlowFormat.CSV, FlowFormat.AUTO}) {
            List<FlowFileReader.Item> items = readAll(p, format);
            assertEquals(4, items.size());
            Flow first = items.get(0).flow();
            assertEquals(1533042911.474174, first.ts());
            assertNull(first.service());
            assertEquals(48L, first.origBytes());
            assertEquals(Flow.BENIGN, first.label());
            assertNull(first.detailedLabel());
            Flow second = items.get(1).flow();
            assertEquals("C\"q,uoted", second.uid());
            assertEquals("http,ssl", second.service());
            assertNull(second.origBytes());
            assertEquals("DDoS", second.detailedLabel());
            assertEquals(Reason.MALFORMED_ROW, items.get(2).error().reason());
            assertEquals(Reason.MALFORMED_ROW, items.get(3).error().reason());
        }
    }

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
        Path p = file("notes.txt", "\n\nthese are not flows\nat all\n");
        StepFailure e = assertThrows(StepFailure.class, () -> FlowFileReader.open(p, FlowFormat.AUTO));
        assertTrue(e.getMessage().startsWith(p + ": cannot recognise the format of line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("Zeek JSON lines"), e.getMessage());
        assertTrue(e.getMessage().contains("CSV"), e.getMessage());
    }

    @Test
    void refusesCsvWithoutRequiredColumns() throws Exception {
        Path p = file("other.csv", "uid,name,size\nC1,a,3\n");
        StepFailure e = assertThrows(StepFailure.class, () -> readAll(p, FlowFormat.AUTO));
        assertTrue(
                e.getMessage()
                        .contains("lacks the conn.log field(s) ts, id.orig_h, id.orig_p, id.resp_h, "
                                + "id.resp_p, proto"),
                e.getMessage());
    }

    @Test
    void refusesTsvRowsBeforeFieldsHeader() throws Exception {
        Path p = file("headless.log", "1533042911.474174\tC1\t1.1.1.1\t1\t2.2.2.2\t2\ttcp\n");
        StepFailure e = assertThrows(StepFailure.class, () -> readAll(p, FlowFormat.TSV));
        assertTrue(e.getMessage().contains("before any #fields header"), e.getMessage());
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
        assertTrue(readAll(file("empty.json", ""), FlowFormat.AUTO).isEmpty());
        assertTrue(readAll(file("blank.json", "\n  \n"), FlowFormat.JSON).isEmpty());
    }

    @Test
    void readsMalwareSampleCompletely() throws Exception {
        List<FlowFileReader.Item> items =
                readAll(Records.sample("CTU-Malware-Capture-8-1-labeled.csv"), FlowFormat.AUTO);
        assertEquals(10403, items.size());
        assertAllValid(items);
        Map<String, Long> byLabel = countBy(items, f -> f.label() + "/" + f.detailedLabel());
        assertEquals(Map.of("benign/null", 2181L, "malicious/C&C", 8222L), byLabel);
        Map<String, Long> byProto = countBy(items, Flow::proto);
        assertEquals(Map.of("tcp", 8224L, "udp", 2179L), byProto);
        Flow first = items.get(0).flow();
        assertEquals(
                new Flow(
                        1533042911.474174,
                        "C5JLGOoxIw2dBZt47",
                        "192.168.100.113",
                        123,
                        "81.2.254.224",
                        123,
                        "udp",
                        null,
                        0.005490,
                        48L,
                        48L,
                        "SF",
                        null,
                        null,
                        0L,
                        "Dd",
                        1L,
                        76L,
                        1L,
                        76L,
                        Flow.BENIGN,
                        null),
                first);
        assertEquals(2, items.get(0).lineNumber());
    }

    @Test
    void readsHoneypotSampleWithIcmpAndIpv6() throws Exception {
        List<FlowFileReader.Item> items =
                readAll(Records.sample("CTU-Honeypot-Capture-5-1-labeled.csv"), FlowFormat.CSV);
        assertEquals(1374, items.size());
        assertAllValid(items);
        assertEquals(Map.of("benign/null", 1374L), countBy(items, f -> f.label() + "/" + f.detailedLabel()));
        assertEquals(Map.of("icmp", 86L, "tcp", 482L, "udp", 806L), countBy(items, Flow::proto));
        assertTrue(items.stream().anyMatch(i -> i.flow().origH().equals("0.0.0.0")));
        assertTrue(items.stream().anyMatch(i -> i.flow().origH().equals("::")));
    }

    @Test
    void readsSampleConvertedToIot23TsvIdentically() throws Exception {
        List<Flow> original = readAll(Records.sample("CTU-Malware-Capture-8-1-labeled.csv"), FlowFormat.CSV).stream()
                .map(FlowFileReader.Item::flow)
                .toList();
        Path tsv = dir.resolve("conn.log.labeled");
        writeIot23Tsv(original, tsv);
        List<FlowFileReader.Item> back = readAll(tsv, FlowFormat.AUTO);
        assertAllValid(back);
        assertEquals(original, back.stream().map(FlowFileReader.Item::flow).toList());

        Path gz = dir.resolve("conn.log.labeled.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(tsv, out);
        }
        assertEquals(
                original,
                readAll(gz, FlowFormat.TSV).stream()
                        .map(FlowFileReader.Item::flow)
                        .toList());
    }

    @Test
    void readsJsonWrittenByZeekJsonBackIdentically() throws Exception {
        List<Flow> original = readAll(Records.sample("CTU-Honeypot-Capture-5-1-labeled.csv"), FlowFormat.CSV).stream()
                .map(FlowFileReader.Item::flow)
                .toList();
        Path json = dir.resolve("conn.json");
        try (OutputStream out = Files.newOutputStream(json)) {
            for (Flow f : original) {
                ZeekJson.writeLine(f, out);
            }
        }
        assertEquals(
                original,
                readAll(json, FlowFormat.AUTO).stream()
                        .map(FlowFileReader.Item::flow)
                        .toList());
    }

    /** Writes flows as IoT-23's conn.log.labeled does: Zeek TSV whose last three columns are joined by three spaces. */
    private static void writeIot23Tsv(List<Flow> flows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write("#fields\t" + FIELDS + "   label   detailed-label\n");
            w.write("#types\t" + TYPES + "   string   string\n");
            for (Flow f : flows) {
                StringBuilder sb = new StringBuilder();
                for (FlowColumn c : FlowColumn.ALL) {
                    if (c == FlowColumn.LABEL) {
                        break;
                    }
                    Object v = c.get(f);
                    String cell;
                    if (v == null) {
                        cell = "-";
                    } else if (v instanceof Double d) {
                        cell = ZeekJson.micros(Math.round(d * 1e6));
                    } else if (v instanceof Boolean b) {
                        cell = b ? "T" : "F";
                    } else {
                        cell = v.toString();
                    }
                    sb.append(cell).append('\t');
                }
                sb.append("(empty)   ");
                sb.append(Flow.MALICIOUS.equals(f.label()) ? "Malicious" : "Benign")
                        .append("   ");
                sb.append(f.detailedLabel() == null ? "-" : f.detailedLabel()).append('\n');
                w.write(sb.toString());
            }
            w.write("#close\t2018-07-31-15-25-09\n");
        }
    }

    private static void assertAllValid(List<FlowFileReader.Item> items) {
        for (FlowFileReader.Item item : items) {
            assertTrue(
                    item.valid(),
                    () -> "line " + item.lineNumber() + ": " + item.error().getMessage() + " in " + item.raw());
            assertFalse(item.flow() == null);
        }
    }

    private static Map<String, Long> countBy(
            List<FlowFileReader.Item> items, java.util.function.Function<Flow, String> key) {
        Map<String, Long> counts = new TreeMap<>();
        for (FlowFileReader.Item item : items) {
            counts.merge(key.apply(item.flow()), 1L, Long::sum);
        }
        return counts;
    }
}
