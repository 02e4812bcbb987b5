package io.gnnnids.core.flow;

import static io.gnnnids.core.flow.FlowFiles.assertAllValid;
import static io.gnnnids.core.flow.FlowFiles.flows;
import static io.gnnnids.core.flow.FlowFiles.readAll;
import static io.gnnnids.core.flow.FlowFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zeek TSV and IoT-23 {@code conn.log.labeled} read through {@link FlowFileReader} ({@link ZeekTsvDecoder}). */
class ZeekTsvDecoderTest {
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

    @Test
    void readsZeekTsvWithFieldsHeader() throws Exception {
        Path p = write(
                dir,
                "conn.log",
                HEADER + "#fields\t" + FIELDS + "\n#types\t" + TYPES + "\n"
                        + "1533042911.474174\tC5JLGOoxIw2dBZt47\t192.168.100.113\t123\t81.2.254.224\t123\tudp\tntp"
                        + "\t0.005490\t48"
                        + "\t48\tSF\tT\tF\t0\tDd\t1\t76\t1\t76\t(empty)\n"
                        + "1537523548.856511\tCaCceb4pNJvXW0Wpi5\t::\t135\tff02::1:ff27:561e\t136\ticmp\t-\t-\t-\t-"
                        + "\tOTH\t-\t-"
                        + "\t0\t-\t1\t64\t0\t0\t(empty)\n"
                        + "1537523548.856511\tCbad\t::\t135\tff02::1\t136\ticmp\t-\t-\t-\t-\tXX\t-\t-\t0\t-\t1\t64\t0"
                        + "\t0\t-\n"
                        + "#close\t2018-07-31-15-25-09\n");
        for (FlowFormat format : new FlowFormat[] {FlowFormat.TSV, FlowFormat.AUTO}) {
            List<FlowFileReader.Item> items = readAll(p, format);
            assertEquals(3, items.size());
            Flow first = items.get(0).flow();
            Flow expected = Records.typical();
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
        Path p = write(
                dir,
                "conn.log.labeled",
                HEADER
                        + "#fields\t" + FIELDS + "   label   detailed-label\n"
                        + "#types\t" + TYPES + "   string   string\n"
                        + "1533042911.474174\tC5JLGOoxIw2dBZt47\t192.168.100.113\t123\t81.2.254.224\t123\tudp\t-"
                        + "\t0.005490\t48"
                        + "\t48\tSF\t-\t-\t0\tDd\t1\t76\t1\t76\t(empty)   Benign   -\n"
                        + "1533042921.474234\tCf3cHf4jZr9nvD808i\t192.168.100.113\t38312\t185.244.25.235\t6667\ttcp\t-"
                        + "\t-\t-\t-"
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
    void refusesTsvRowsBeforeFieldsHeader() throws Exception {
        Path p = write(dir, "headless.log", "1533042911.474174\tC1\t1.1.1.1\t1\t2.2.2.2\t2\ttcp\n");
        StepFailure e = assertThrows(StepFailure.class, () -> readAll(p, FlowFormat.TSV));
        assertTrue(e.getMessage().contains("before any #fields header"), e.getMessage());
    }

    @Test
    void readsSampleConvertedToIot23TsvIdentically() throws Exception {
        List<Flow> original = flows(Records.sample("CTU-Malware-Capture-8-1-labeled.csv"), FlowFormat.CSV);
        Path tsv = dir.resolve("conn.log.labeled");
        writeIot23Tsv(original, tsv);
        List<FlowFileReader.Item> back = readAll(tsv, FlowFormat.AUTO);
        assertAllValid(back);
        assertEquals(original, back.stream().map(FlowFileReader.Item::flow).toList());

        Path gz = dir.resolve("conn.log.labeled.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(tsv, out);
        }
        assertEquals(original, flows(gz, FlowFormat.TSV));
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
}
