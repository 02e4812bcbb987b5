package io.gnnnids.core.flow;

import static io.gnnnids.core.flow.Records.TYPICAL;
import static io.gnnnids.core.flow.Records.with;
import static io.gnnnids.core.flow.Records.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FlowParserTest {
    private final FlowParser parser = new FlowParser();

    private Flow parse(String json) throws InvalidFlow {
        return parser.parseJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidFlow rejected(String json, Reason expected) {
        InvalidFlow e = assertThrows(InvalidFlow.class, () -> parse(json));
        assertEquals(expected, e.reason(), e.getMessage());
        // the String entry point agrees with the byte one
        InvalidFlow s = assertThrows(InvalidFlow.class, () -> parser.parseJson(json));
        assertEquals(expected, s.reason(), s.getMessage());
        return e;
    }

    @Test
    void parsesTypicalZeekRecord() throws InvalidFlow {
        Flow f = parse(TYPICAL);
        assertEquals(
                new Flow(
                        1533042911.474174,
                        "C5JLGOoxIw2dBZt47",
                        "192.168.100.113",
                        123,
                        "81.2.254.224",
                        123,
                        "udp",
                        "ntp",
                        0.00549,
                        48L,
                        48L,
                        "SF",
                        true,
                        false,
                        0L,
                        "Dd",
                        1L,
                        76L,
                        1L,
                        76L,
                        Flow.MALICIOUS,
                        "C&C"),
                f);
        assertEquals(f, parser.parseJson(TYPICAL));
    }

    @Test
    void acceptsNestedIdObject() throws InvalidFlow {
        String nested =
                "{\"ts\":1533042911.474174,\"uid\":\"C5JLGOoxIw2dBZt47\",\"id\":{\"orig_h\":\"192.168.100.113\","
                        + "\"orig_p\":123,\"resp_h\":\"81.2.254.224\",\"resp_p\":123,\"vlan\":7},\"proto\":\"udp\"}";
        Flow f = parse(nested);
        assertEquals("192.168.100.113", f.origH());
        assertEquals(123, f.origP());
        assertEquals("81.2.254.224", f.respH());
        assertEquals(123, f.respP());
    }

    @Test
    void treatsAbsentNullAndDashAsUnset() throws InvalidFlow {
        assertNull(parse(without("service")).service());
        assertNull(parse(with("service", "null")).service());
        assertNull(parse(with("service", "\"-\"")).service());
        assertNull(parse(with("duration", "\"-\"")).duration());
        assertNull(parse(with("orig_bytes", "null")).origBytes());
        assertNull(parse(with("local_orig", "\"-\"")).localOrig());
        assertNull(parse(with("conn_state", "\"\"")).connState());
    }

    @Test
    void acceptsNumbersAsStrings() throws InvalidFlow {
        Flow f = parse(with("ts", "\"1533042911.474174\"")
                .replace("\"id.orig_p\":123", "\"id.orig_p\":\"123\"")
                .replace("\"orig_bytes\":48", "\"orig_bytes\":\"48\"")
                .replace("\"duration\":0.00549", "\"duration\":\"0.00549\""));
        assertEquals(parse(TYPICAL), f);
    }

    @Test
    void acceptsIntegerTimestamp() throws InvalidFlow {
        assertEquals(1533042911d, parse(with("ts", "1533042911")).ts());
    }

    @Test
    void acceptsZeekBooleanLetters() throws InvalidFlow {
        Flow f = parse(with("local_orig", "\"T\"").replace("\"local_resp\":false", "\"local_resp\":\"F\""));
        assertTrue(f.localOrig());
        assertFalse(f.localResp());
    }

    @Test
    void normalisesLabelCase() throws InvalidFlow {
        assertEquals(Flow.BENIGN, parse(with("label", "\"Benign\"")).label());
        assertEquals(Flow.BENIGN, parse(with("label", "\"BENIGN\"")).label());
        assertEquals(Flow.MALICIOUS, parse(with("label", "\"malicious\"")).label());
        assertNull(parse(with("label", "\"-\"")).label());
        assertNull(parse(with("label", "\"\"")).label());
        assertFalse(parse(without("label")).labelled());
    }

    @Test
    void acceptsBothDetailedLabelSpellings() throws InvalidFlow {
        String underscore = TYPICAL.replace("\"detailed-label\"", "\"detailed_label\"");
        assertEquals("C&C", parse(underscore).detailedLabel());
        assertEquals("C&C", parse(TYPICAL).detailedLabel());
        assertNull(parse(with("detailed-label", "\"-\"")).detailedLabel());
        assertNull(parse(with("detailed-label", "\"\"")).detailedLabel());
    }

    @Test
    void ignoresExtraKeys() throws InvalidFlow {
        String extra = TYPICAL.substring(0, TYPICAL.length() - 1) + ",\"tunnel_parents\":[\"CabC\"],\"ip_proto\":17,"
                + "\"community_id\":\"1:abc=\",\"orig_l2_addr\":\"aa:bb\",\"extra\":{\"a\":[1,{\"b\":2}]}}";
        assertEquals(parse(TYPICAL), parse(extra));
    }

    @Test
    void quarantinesRecordWithMissingField() {
        for (String key : new String[] {"ts", "uid", "id.orig_h", "id.resp_h", "id.orig_p", "id.resp_p", "proto"}) {
            InvalidFlow e = rejected(without(key), Reason.MISSING_FIELD);
            assertEquals(key + " is missing", e.detail());
            rejected(with(key, "\"-\""), Reason.MISSING_FIELD);
            rejected(with(key, "null"), Reason.MISSING_FIELD);
        }
    }

    @Test
    void quarantinesRecordWithBadType() {
        InvalidFlow e = rejected(with("orig_bytes", "\"abc\""), Reason.BAD_TYPE);
        assertEquals("orig_bytes=\"abc\" is not an integer", e.detail());
        rejected(with("id.orig_p", "80.5"), Reason.BAD_TYPE);
        rejected(with("id.orig_p", "\"http\""), Reason.BAD_TYPE);
        rejected(with("orig_pkts", "1.5"), Reason.BAD_TYPE);
        rejected(with("duration", "\"1.5s\""), Reason.BAD_TYPE);
        rejected(with("duration", "\"0x1p3\""), Reason.BAD_TYPE);
        rejected(with("uid", "42"), Reason.BAD_TYPE);
        rejected(with("local_orig", "\"yes\""), Reason.BAD_TYPE);
        rejected(with("local_orig", "1"), Reason.BAD_TYPE);
        rejected(with("service", "[\"dns\"]"), Reason.BAD_TYPE);
        rejected(with("orig_bytes", "{\"n\":1}"), Reason.BAD_TYPE);
        rejected(with("ts", "true"), Reason.BAD_TYPE);
    }

    @Test
    void quarantinesRecordWithPortOutOfRange() {
        InvalidFlow e = rejected(with("id.orig_p", "70000"), Reason.PORT_OUT_OF_RANGE);
        assertEquals("id.orig_p=70000 is outside 0-65535", e.detail());
        rejected(with("id.resp_p", "-1"), Reason.PORT_OUT_OF_RANGE);
        rejected(with("id.resp_p", "\"65536\""), Reason.PORT_OUT_OF_RANGE);
        rejected(with("id.resp_p", "99999999999"), Reason.PORT_OUT_OF_RANGE);
        rejected(with("id.resp_p", "999999999999999999999999"), Reason.PORT_OUT_OF_RANGE);
    }

    @Test
    void acceptsPortBounds() throws InvalidFlow {
        assertEquals(0, parse(with("id.orig_p", "0")).origP());
        assertEquals(65535, parse(with("id.resp_p", "65535")).respP());
    }

    @Test
    void quarantinesRecordWithNegativeCount() {
        for (String key : new String[] {
            "orig_bytes", "resp_bytes", "missed_bytes", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes"
        }) {
            rejected(with(key, "-1"), Reason.NEGATIVE_COUNT);
        }
        InvalidFlow e = rejected(with("duration", "-0.5"), Reason.NEGATIVE_COUNT);
        assertEquals("duration=-0.5 is negative", e.detail());
    }

    @Test
    void quarantinesRecordWithNonFiniteNumber() {
        rejected(with("duration", "NaN"), Reason.NOT_FINITE);
        rejected(with("duration", "\"NaN\""), Reason.NOT_FINITE);
        rejected(with("duration", "Infinity"), Reason.NOT_FINITE);
        rejected(with("duration", "\"-Infinity\""), Reason.NOT_FINITE);
        rejected(with("duration", "\"inf\""), Reason.NOT_FINITE);
        rejected(with("ts", "\"NaN\""), Reason.NOT_FINITE);
        rejected(with("orig_bytes", "\"Infinity\""), Reason.NOT_FINITE);
        rejected(with("orig_bytes", "NaN"), Reason.NOT_FINITE);
    }

    @Test
    void quarantinesRecordWithUnknownConnState() {
        InvalidFlow e = rejected(with("conn_state", "\"XX\""), Reason.UNKNOWN_CONN_STATE);
        assertTrue(e.detail().startsWith("conn_state=XX"), e.detail());
        rejected(with("conn_state", "\"sf\""), Reason.UNKNOWN_CONN_STATE);
    }

    @Test
    void acceptsEveryZeekConnState() throws InvalidFlow {
        for (String s : FlowValidator.CONN_STATES) {
            assertEquals(s, parse(with("conn_state", "\"" + s + "\"")).connState());
        }
    }

    @Test
    void quarantinesRecordWithUnknownProto() {
        rejected(with("proto", "\"sctp\""), Reason.UNKNOWN_PROTO);
        rejected(with("proto", "\"TCP\""), Reason.UNKNOWN_PROTO);
    }

    @Test
    void acceptsEveryZeekProto() throws InvalidFlow {
        for (String p : new String[] {"tcp", "udp", "icmp", "unknown_transport"}) {
            assertEquals(p, parse(with("proto", "\"" + p + "\"")).proto());
        }
    }

    @Test
    void quarantinesRecordWithBadAddress() {
        for (String bad : new String[] {
            "example.com",
            "localhost",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01234.1.1.1",
            "1.2.3.4 ",
            "fe80::1::2",
            "12345::1",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            ":1:2::",
            "1::2:",
            "::ffff:1.2.3.256",
            "g::1"
        }) {
            InvalidFlow e = rejected(with("id.resp_h", "\"" + bad + "\""), Reason.BAD_ADDRESS);
            assertTrue(e.detail().startsWith("id.resp_h="), e.detail());
        }
    }

    @Test
    void acceptsAddressesZeekWrites() throws InvalidFlow {
        for (String good : new String[] {
            "0.0.0.0",
            "255.255.255.255",
            "::",
            "::1",
            "ff02::1:ff27:561e",
            "fe80::80e6:50ff:fe12:1464",
            "2001:db8:0:0:0:0:0:1",
            "1::",
            "::ffff:192.168.1.1",
            "2001:0DB8:85A3:0000:0000:8A2E:0370:7334"
        }) {
            assertEquals(good, parse(with("id.orig_h", "\"" + good + "\"")).origH());
        }
    }

    @Test
    void quarantinesRecordWithBadLabel() {
        InvalidFlow e = rejected(with("label", "\"evil\""), Reason.BAD_LABEL);
        assertEquals("label=evil is neither benign nor malicious", e.detail());
    }

    @Test
    void quarantinesRecordWithBadTimestamp() {
        rejected(with("ts", "0"), Reason.BAD_TIMESTAMP);
        rejected(with("ts", "-5"), Reason.BAD_TIMESTAMP);
        rejected(with("ts", "600000000"), Reason.BAD_TIMESTAMP); // 1989
        rejected(with("ts", "99999999999"), Reason.BAD_TIMESTAMP); // too late for seconds, too early for milliseconds
        rejected(with("ts", "1533042911474.5"), Reason.BAD_TIMESTAMP); // only integers can be milliseconds
        rejected(with("ts", "1533042911474174"), Reason.BAD_TIMESTAMP); // microseconds: far future as milliseconds
        double nextYearAndABit = System.currentTimeMillis() / 1000d + 400 * 86400d;
        rejected(with("ts", Double.toString(nextYearAndABit)), Reason.BAD_TIMESTAMP);
    }

    @Test
    void quarantinesInvalidUtf8() {
        byte[] json = TYPICAL.replace("C5JLGOoxIw2dBZt47", "C5JLGO__Iw2dBZt47").getBytes(StandardCharsets.UTF_8);
        int at = new String(json, StandardCharsets.UTF_8).indexOf("__");
        for (byte[] bad : new byte[][] {
            {(byte) 0xC3, (byte) 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0}, {(byte) 0xFF, 'a'}
        }) {
            byte[] copy = json.clone();
            copy[at] = bad[0];
            copy[at + 1] = bad[1];
            InvalidFlow e = assertThrows(InvalidFlow.class, () -> parser.parseJson(copy));
            assertEquals(Reason.INVALID_UTF8, e.reason(), e.getMessage());
        }
        byte[] truncated = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82};
        assertEquals(
                Reason.INVALID_UTF8,
                assertThrows(InvalidFlow.class, () -> parser.parseJson(truncated))
                        .reason());
    }

    @Test
    void quarantinesTextWithUnpairedSurrogate() {
        String json = Records.with("uid", "\"C\uD800x\"");
        assertEquals(
                Reason.INVALID_UTF8,
                assertThrows(InvalidFlow.class, () -> parser.parseJson(json)).reason());
    }

    @Test
    void acceptsMultiByteUtf8() throws InvalidFlow {
        assertEquals("Cé€😀", parse(with("uid", "\"Cé€😀\"")).uid());
    }

    @Test
    void quarantinesNonJsonPayload() {
        rejected("not json at all", Reason.NOT_JSON);
        rejected("", Reason.NOT_JSON);
        rejected("{\"ts\":1533042911.474174,", Reason.NOT_JSON);
        rejected(TYPICAL + "{}", Reason.NOT_JSON);
        rejected(TYPICAL + " x", Reason.NOT_JSON);
        rejected("1533042911\tC5JLGOoxIw2dBZt47\t192.168.100.113", Reason.NOT_JSON);
    }

    @Test
    void quarantinesJsonThatIsNotAnObject() {
        InvalidFlow e = rejected("[" + TYPICAL + "]", Reason.NOT_JSON);
        assertEquals("expected a JSON object, found an array", e.detail());
        rejected("42", Reason.NOT_JSON);
        rejected("\"text\"", Reason.NOT_JSON);
        rejected("null", Reason.NOT_JSON);
    }

    @Test
    void quarantinesOverSizeMessage() {
        FlowParser small = new FlowParser(100);
        InvalidFlow e =
                assertThrows(InvalidFlow.class, () -> small.parseJson(TYPICAL.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals("message is " + TYPICAL.length() + " bytes, the limit is 100", e.detail());
        assertEquals(
                Reason.TOO_LARGE,
                assertThrows(InvalidFlow.class, () -> small.parseJson(TYPICAL)).reason());
        // 40 chars of 3 bytes each: short as a String, too large as UTF-8
        String wide = "{\"uid\":\"" + "€".repeat(40) + "\"}";
        assertEquals(
                Reason.TOO_LARGE,
                assertThrows(InvalidFlow.class, () -> small.parseJson(wide)).reason());
        String padded = TYPICAL + " ".repeat(FlowParser.DEFAULT_MAX_BYTES);
        rejected(padded, Reason.TOO_LARGE);
    }

    @Test
    void reasonCodesAreSnakeCase() {
        assertEquals("too_large", Reason.TOO_LARGE.code());
        assertEquals("invalid_utf8", Reason.INVALID_UTF8.code());
        assertEquals("port_out_of_range", Reason.PORT_OUT_OF_RANGE.code());
        assertEquals("unknown_conn_state", Reason.UNKNOWN_CONN_STATE.code());
    }

    @Test
    void invalidFlowCarriesNoStackTrace() {
        InvalidFlow e = new InvalidFlow(Reason.BAD_LABEL, "x");
        assertEquals(0, e.getStackTrace().length);
        assertEquals("bad_label: x", e.getMessage());
    }

    @Test
    void validatorRejectsFlowsBuiltInCode() {
        Flow ok = new Flow(
                1.6e9,
                "C1",
                "10.0.0.1",
                1,
                "10.0.0.2",
                2,
                "tcp",
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
        assertEquals(ok, assertDoesNotThrowValidate(ok));
        Flow badPort = new Flow(
                1.6e9,
                "C1",
                "10.0.0.1",
                70000,
                "10.0.0.2",
                2,
                "tcp",
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
                Reason.PORT_OUT_OF_RANGE,
                assertThrows(InvalidFlow.class, () -> FlowValidator.validate(badPort))
                        .reason());
        Flow upperLabel = new Flow(
                1.6e9,
                "C1",
                "10.0.0.1",
                1,
                "10.0.0.2",
                2,
                "tcp",
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
                "Benign",
                null);
        assertEquals(
                Reason.BAD_LABEL,
                assertThrows(InvalidFlow.class, () -> FlowValidator.validate(upperLabel))
                        .reason());
    }

    private static Flow assertDoesNotThrowValidate(Flow f) {
        try {
            return FlowValidator.validate(f);
        } catch (InvalidFlow e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
