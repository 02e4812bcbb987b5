package io.gnnnids.core.flow;

import static io.gnnnids.core.flow.FlowFiles.assertAllValid;
import static io.gnnnids.core.flow.FlowFiles.countBy;
import static io.gnnnids.core.flow.FlowFiles.readAll;
import static io.gnnnids.core.flow.FlowFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV with a header of Zeek field names read through {@link FlowFileReader} ({@link CsvDecoder}), real captures
 * included.
 */
class CsvDecoderTest {
    @TempDir
    Path dir;

    @Test
    void readsCsvWithZeekHeaderAndQuotedCells() throws Exception {
        Path p = write(
                dir,
                "conn.csv",
                "\uFEFFts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,service,duration,"
                        + "orig_bytes,label,detailed-label,extra\n"
                        + "1533042911.474174,C5JLGOoxIw2dBZt47,192.168.100.113,123,81.2.254.224,123,udp,,0.005490,48,"
                        + "Benign,-,x\n"
                        + "1533042912,\"C\"\"q,uoted\",10.0.0.1,1,10.0.0.2,2,tcp,\"http,ssl\",,(empty),malicious,DDoS,"
                        + "\n"
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
    void refusesCsvWithoutRequiredColumns() throws Exception {
        Path p = write(dir, "other.csv", "uid,name,size\nC1,a,3\n");
        StepFailure e = assertThrows(StepFailure.class, () -> readAll(p, FlowFormat.AUTO));
        assertTrue(
                e.getMessage()
                        .contains("lacks the conn.log field(s) ts, id.orig_h, id.orig_p, id.resp_h, "
                                + "id.resp_p, proto"),
                e.getMessage());
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
}
