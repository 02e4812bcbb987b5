package io.gnnnids.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zeek as sensors really run it: ISO 8601 or millisecond timestamps, zeek-kafka's tagged JSON, another scope
 * separator or a field name map, nested id, and the extra fields sensor packages add. Samples are written the way
 * Zeek and zeek-kafka write them; each must read to the same flow as Zeek's default JSON of the same connection.
 */
class ZeekVariantsTest {
    /** 2026-11-30T10:00:00Z. */
    private static final long SECOND = Instant.parse("2026-11-30T10:00:00Z").getEpochSecond();

    private static final String REST = "\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"192.168.1.23\","
            + "\"id.orig_p\":52814,\"id.resp_h\":\"93.184.216.34\",\"id.resp_p\":443,\"proto\":\"tcp\","
            + "\"service\":\"ssl\",\"duration\":1.204981,\"orig_bytes\":1342,\"resp_bytes\":6217,"
            + "\"conn_state\":\"SF\",\"local_orig\":true,\"local_resp\":false,\"missed_bytes\":0,"
            + "\"history\":\"ShADadFf\",\"orig_pkts\":14,\"orig_ip_bytes\":2090,\"resp_pkts\":12,"
            + "\"resp_ip_bytes\":6849}";
    /** Zeek's default JSON (JSON::TS_EPOCH). */
    private static final String EPOCH = "{\"ts\":" + SECOND + ".123456," + REST;
    /** LogAscii::json_timestamps = JSON::TS_ISO8601. */
    private static final String ISO = "{\"ts\":\"2026-11-30T10:00:00.123456Z\"," + REST;

    private final FlowParser parser = new FlowParser();

    @TempDir
    Path dir;

    private Flow parse(String json) throws InvalidFlow {
        Flow f = parser.parseJson(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(f, parser.parseJson(json), "the String entry point agrees");
        return f;
    }

    private InvalidFlow rejected(String json, Reason expected) {
        InvalidFlow e = assertThrows(InvalidFlow.class, () -> parse(json));
        assertEquals(expected, e.reason(), e.getMessage());
        return e;
    }

    private static Flow withTs(Flow f, double ts) {
        return f.withTs(ts);
    }

    @Test
    void readsIso8601TimestampsAsZeekWritesThem() throws InvalidFlow {
        Flow epoch = parse(EPOCH);
        assertEquals(Double.parseDouble(SECOND + ".123456"), epoch.ts());
        assertEquals(epoch, parse(ISO));
        assertEquals(withTs(epoch, SECOND), parse(ISO.replace(".123456Z", ".000000Z")));
        assertEquals(withTs(epoch, SECOND), parse(ISO.replace(".123456Z", "Z")));
        assertEquals(withTs(epoch, SECOND + 0.123), parse(ISO.replace(".123456Z", ".123Z"))); // other shippers
        assertEquals(epoch, parse(ISO.replace("10:00:00.123456Z", "11:00:00.123456+01:00")));
        assertEquals(epoch, parse(ISO.replace("10:00:00.123456Z", "04:30:00.123456-0530")));
        // Zeek prints the fraction with %06.0f: within half a microsecond of the next second it writes .1000000
        assertEquals(withTs(epoch, SECOND + 1), parse(ISO.replace(".123456Z", ".1000000Z")));
        assertEquals(
                withTs(epoch, Instant.parse("2018-07-31T13:15:11Z").getEpochSecond() + 0.474174),
                parse(ISO.replace("2026-11-30T10:00:00.123456Z", "2018-07-31T13:15:11.474174Z")));
    }

    @Test
    void readsMillisecondTimestamps() throws InvalidFlow {
        // JSON::TS_MILLIS: integer milliseconds, as a number or in a string cell
        Flow f = parse("{\"ts\":" + SECOND + "123," + REST);
        assertEquals(Double.parseDouble(SECOND + ".123"), f.ts());
        assertEquals(f, parse("{\"ts\":\"" + SECOND + "123\"," + REST));
        assertEquals((double) SECOND, parse("{\"ts\":" + SECOND + "," + REST).ts(), "integer seconds stay seconds");
    }

    @Test
    void readsZeekKafkaTaggedJson() throws InvalidFlow {
        Flow epoch = parse(EPOCH);
        // Kafka::tag_json=T wraps the record in its log's path, and appends Kafka::additional_message_values
        assertEquals(epoch, parse("{\"conn\": " + ISO + "}"));
        assertEquals(epoch, parse("{\"conn\": " + EPOCH + ",\"sensor\": \"edge-1\",\"uid\": \"not the record's\"}"));
        assertEquals(epoch, parse("{\"conn_long\": " + ISO + "}"));
    }

    @Test
    void readsScopeSeparatorsAndFieldNameMaps() throws InvalidFlow {
        Flow epoch = parse(EPOCH);
        // Log::default_scope_sep = "_", as shipped to Elasticsearch, and field name maps writing other separators
        assertEquals(epoch, parse(ISO.replace("\"id.", "\"id_")));
        assertEquals(epoch, parse(EPOCH.replace("\"id.", "\"id-")));
        assertEquals(epoch, parse(EPOCH.replace("\"id.", "\"id__")));
        assertEquals(epoch, parse("{\"conn\": " + ISO.replace("\"id.", "\"id_") + "}"));
        assertEquals(null, FlowParser.column("idorig_h"));
        assertEquals(null, FlowParser.column("id_x_orig_h"));
        assertEquals(null, FlowParser.column("id_vlan"));
        assertEquals(FlowColumn.RESP_P, FlowParser.column("id:resp_p"));
    }

    @Test
    void readsNestedIdAndSensorExtraFields() throws InvalidFlow {
        Flow epoch = parse(EPOCH);
        String nested = "{\"ts\":\"2026-11-30T10:00:00.123456Z\",\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id\":{\"orig_h\":"
                + "\"192.168.1.23\",\"orig_p\":52814,\"resp_h\":\"93.184.216.34\",\"resp_p\":443,\"vlan\":20},"
                + REST.substring(REST.indexOf("\"proto\""));
        assertEquals(epoch, parse(nested));
        // json-streaming-logs' _path/_system_name/_write_ts, Zeek's community-id, MAC, VLAN and ip_proto fields
        String extras = "{\"_path\":\"conn\",\"_system_name\":\"sensor-1\","
                + "\"_write_ts\":\"2026-11-30T10:00:05.000001Z\"," + ISO.substring(1, ISO.length() - 1)
                + ",\"tunnel_parents\":[],\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\","
                + "\"orig_l2_addr\":\"00:1b:21:3a:4f:5c\",\"resp_l2_addr\":\"f4:f2:6d:0c:8e:11\","
                + "\"vlan\":20,\"inner_vlan\":30,\"ip_proto\":6,\"orig_shunted_pkts\":0}";
        assertEquals(epoch, parse(extras));
        assertEquals(epoch, parse("{\"conn\": " + extras + "}"));
    }

    @Test
    void stillQuarantinesMalformedRecordsWithTheirReason() {
        InvalidFlow e = rejected(ISO.replace("2026-11-30T", "2026-02-30T"), Reason.BAD_TYPE);
        assertTrue(
                e.detail().startsWith("ts=\"2026-02-30T10:00:00.123456Z\" is neither epoch seconds nor an ISO 8601"),
                e.detail());
        rejected(ISO.replace(".123456Z", ".123456"), Reason.BAD_TYPE); // no zone: local time somewhere
        rejected(ISO.replace("10:00:00", "24:00:00"), Reason.BAD_TYPE);
        rejected(ISO.replace("10:00:00", "10:00:60"), Reason.BAD_TYPE);
        rejected(ISO.replace(".123456Z", ".Z"), Reason.BAD_TYPE);
        rejected(ISO.replace(".123456Z", ".1234567890Z"), Reason.BAD_TYPE);
        rejected(ISO.replace(".123456Z", ".123456+25:00"), Reason.BAD_TYPE);
        rejected(ISO.replace("T10", " 10"), Reason.BAD_TYPE);
        rejected(ISO.replace("2026-11-30T10:00:00.123456Z", "yesterday"), Reason.BAD_TYPE);
        rejected(ISO.replace("2026-11-30T10:00:00.123456Z", "1989-12-31T23:59:59.000000Z"), Reason.BAD_TIMESTAMP);
        rejected(ISO.replace("\"id.orig_p\":52814", "\"id_orig_p\":70000"), Reason.PORT_OUT_OF_RANGE);
        rejected(ISO.replace("\"id.orig_h\"", "\"id_orig_x\""), Reason.MISSING_FIELD);

        InvalidFlow dns = rejected(
                "{\"dns\": {\"ts\":\"2026-11-30T10:00:00.123456Z\",\"uid\":\"CHhAvVGS1DHFjwGM9\","
                        + "\"id.orig_h\":\"192.168.1.23\",\"id.orig_p\":53012,\"id.resp_h\":\"192.168.1.1\","
                        + "\"id.resp_p\":53,"
                        + "\"proto\":\"udp\",\"query\":\"example.com\"}}",
                Reason.NOT_CONN);
        assertTrue(dns.detail().startsWith("tagged \"dns\": a record of Zeek's dns log, not conn"), dns.detail());
        assertEquals("not_conn", dns.reason().code());
        rejected("{\"connection\": " + ISO + "}", Reason.NOT_CONN);
        rejected("{\"conn\": " + ISO.replace("\"proto\":\"tcp\",", "") + "}", Reason.MISSING_FIELD);
        rejected("{\"conn\": " + ISO.replace("\"id.resp_p\":443", "\"id.resp_p\":\"https\"") + "}", Reason.BAD_TYPE);
        rejected("{\"conn\": " + ISO + "} {}", Reason.NOT_JSON);
        rejected("{\"conn\": " + ISO + "} \"x\"", Reason.NOT_JSON);
        rejected("{\"conn\": " + ISO, Reason.NOT_JSON);
        rejected("{\"conn\": \"tcp\"}", Reason.MISSING_FIELD);
    }

    private Path file(String name, String content) throws IOException {
        return FlowFiles.write(dir, name, content);
    }

    private static List<FlowFileReader.Item> readAll(Path file) throws IOException {
        return FlowFiles.readAll(file, FlowFormat.AUTO);
    }

    @Test
    void readsZeekTsvWrittenWithAnotherScopeSeparator() throws Exception {
        // Log::default_scope_sep = "_" with the sensor packages' extra columns
        Path p = file(
                "conn.log",
                "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
                        + "#path\tconn\n#open\t2026-11-30-10-00-00\n"
                        + "#fields\tts\tuid\tid_orig_h\tid_orig_p\tid_resp_h\tid_resp_p\tproto\tservice\tduration"
                        + "\torig_bytes"
                        + "\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts"
                        + "\torig_ip_bytes"
                        + "\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tcommunity_id\torig_l2_addr\tresp_l2_addr\tvlan"
                        + "\tinner_vlan\n"
                        + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring"
                        + "\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tstring\tstring\tstring"
                        + "\tint\tint\n"
                        + SECOND + ".123456\tCHhAvVGS1DHFjwGM9\t192.168.1.23\t52814\t93.184.216.34\t443\ttcp\tssl"
                        + "\t1.204981\t1342\t6217\tSF\tT\tF\t0\tShADadFf\t14\t2090\t12\t6849\t(empty)"
                        + "\t1:LQU9qZlK+B5F3KDmev6m5PMibrg=\t"
                        + "00:1b:21:3a:4f:5c\tf4:f2:6d:0c:8e:11\t20\t-\n"
                        + SECOND
                        + ".5\tCbad\t192.168.1.23\t52815\t93.184.216.34\t443\ttcp\t-\t-\t-\t-\tXX\tT\tF\t0\t-\t1\t60"
                        + "\t0\t0\t(empty)\t-\t-\t-\t-\t-\n"
                        + "#close\t2026-11-30-11-00-00\n");
        List<FlowFileReader.Item> items = readAll(p);
        assertEquals(2, items.size());
        assertEquals(parse(EPOCH), items.get(0).flow());
        assertEquals(Reason.UNKNOWN_CONN_STATE, items.get(1).error().reason());
    }

    @Test
    void readsJsonLinesMixingTheVariants() throws Exception {
        Flow epoch = parse(EPOCH);
        Path p = file(
                "conn.json",
                ISO + "\n{\"conn\": " + ISO.replace("\"id.", "\"id_") + ",\"sensor\": \"edge-1\"}\n"
                        + "{\"dns\": {\"ts\":\"2026-11-30T10:00:00.5Z\",\"uid\":\"C1\"}}\n"
                        + "{\"ts\":" + SECOND + "123," + REST + "\n");
        List<FlowFileReader.Item> items = readAll(p);
        assertEquals(4, items.size());
        assertEquals(epoch, items.get(0).flow());
        assertEquals(epoch, items.get(1).flow());
        assertEquals(Reason.NOT_CONN, items.get(2).error().reason());
        assertEquals(3, items.get(2).lineNumber());
        assertEquals(
                withTs(epoch, Double.parseDouble(SECOND + ".123")), items.get(3).flow());
    }

    @Test
    void tsvHeaderWithScopedNamesStillNeedsEveryRequiredField() throws Exception {
        Path p = file("other.log", "#separator \\x09\n#fields\tts\tuid\tid_orig_h\tid_orig_p\tid_resp_h\tproto\n");
        StepFailure e = assertThrows(StepFailure.class, () -> readAll(p));
        assertTrue(e.getMessage().contains("lacks the conn.log field(s) id.resp_p"), e.getMessage());
    }
}
