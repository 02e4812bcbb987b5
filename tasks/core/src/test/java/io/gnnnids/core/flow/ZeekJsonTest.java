package io.gnnnids.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ZeekJsonTest {
    private final FlowParser parser = new FlowParser();

    @Test
    void writesZeekJsonForm() throws InvalidFlow {
        Flow f = parser.parseJson(Records.TYPICAL);
        assertEquals(
                "{\"ts\":1533042911.474174,\"uid\":\"C5JLGOoxIw2dBZt47\",\"id.orig_h\":\"192.168.100.113\","
                        + "\"id.orig_p\":123,\"id.resp_h\":\"81.2.254.224\",\"id.resp_p\":123,\"proto\":\"udp\","
                        + "\"service\":\"ntp\",\"duration\":0.005490,\"orig_bytes\":48,\"resp_bytes\":48,\"conn_state"
                        + "\":\"SF\","
                        + "\"local_orig\":true,\"local_resp\":false,\"missed_bytes\":0,\"history\":\"Dd\",\"orig_pkts"
                        + "\":1,"
                        + "\"orig_ip_bytes\":76,\"resp_pkts\":1,\"resp_ip_bytes\":76,\"label\":\"malicious\","
                        + "\"detailed_label\":\"C&C\"}",
                ZeekJson.toJsonString(f));
    }

    @Test
    void omitsUnsetFields() {
        Flow f = new Flow(
                1533042911d,
                "C1",
                "::1",
                0,
                "ff02::fb",
                5353,
                "icmp",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertEquals(
                "{\"ts\":1533042911.000000,\"uid\":\"C1\",\"id.orig_h\":\"::1\",\"id.orig_p\":0,"
                        + "\"id.resp_h\":\"ff02::fb\",\"id.resp_p\":5353,\"proto\":\"icmp\"}",
                ZeekJson.toJsonString(f));
    }

    @Test
    void roundTripsThroughParser() throws InvalidFlow {
        Flow[] flows = {
            parser.parseJson(Records.TYPICAL),
            new Flow(
                    1600000000.000001,
                    "C\"quoted\\é",
                    "10.0.0.1",
                    65535,
                    "2001:db8::1",
                    0,
                    "tcp",
                    "http,ssl",
                    0d,
                    0L,
                    Long.MAX_VALUE,
                    "RSTOS0",
                    false,
                    true,
                    3L,
                    "ShADadFf",
                    9L,
                    10L,
                    11L,
                    12L,
                    Flow.BENIGN,
                    null),
            // a computed time with more than microsecond precision keeps every bit
            new Flow(
                    1600000000.123456789,
                    "C2",
                    "1.1.1.1",
                    1,
                    "2.2.2.2",
                    2,
                    "udp",
                    null,
                    1.0 / 3,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    "PartOfAHorizontalPortScan"),
        };
        for (Flow f : flows) {
            byte[] json = ZeekJson.toJson(f);
            assertEquals(f, parser.parseJson(json), new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void writeLineAppendsNewlineAndLeavesStreamOpen() throws InvalidFlow {
        Flow f = parser.parseJson(Records.TYPICAL);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZeekJson.writeLine(f, out);
        ZeekJson.write(f, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith(ZeekJson.toJsonString(f) + "\n"));
        assertFalse(text.endsWith("\n"));
        assertEquals(2 * ZeekJson.toJson(f).length + 1, out.size());
    }

    @Test
    void formatsMicroseconds() {
        assertEquals("0.000001", ZeekJson.micros(1));
        assertEquals("1533042911.474174", ZeekJson.micros(1533042911474174L));
        assertEquals("-0.500000", ZeekJson.micros(-500000));
    }
}
