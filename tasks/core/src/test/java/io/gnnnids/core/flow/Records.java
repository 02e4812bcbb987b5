package io.gnnnids.core.flow;

import java.nio.file.Path;

/** Fixtures shared by the flow tests: a typical Zeek record and the location of the real sample data. */
final class Records {
    private Records() {}

    /** A complete conn record as Zeek's JSON writer emits it (plus IoT-23 labels). */
    static final String TYPICAL = "{\"ts\":1533042911.474174,\"uid\":\"C5JLGOoxIw2dBZt47\","
            + "\"id.orig_h\":\"192.168.100.113\",\"id.orig_p\":123,\"id.resp_h\":\"81.2.254.224\",\"id.resp_p\":123,"
            + "\"proto\":\"udp\",\"service\":\"ntp\",\"duration\":0.00549,\"orig_bytes\":48,\"resp_bytes\":48,"
            + "\"conn_state\":\"SF\",\"local_orig\":true,\"local_resp\":false,\"missed_bytes\":0,\"history\":\"Dd\","
            + "\"orig_pkts\":1,\"orig_ip_bytes\":76,\"resp_pkts\":1,\"resp_ip_bytes\":76,"
            + "\"label\":\"Malicious\",\"detailed-label\":\"C&C\"}";

    /** TYPICAL as the parser reads it. */
    static Flow typical() throws InvalidFlow {
        return new FlowParser().parseJson(TYPICAL);
    }

    /** TYPICAL with one key's JSON value replaced (the value text is inserted as is). */
    static String with(String key, String jsonValue) {
        String json = without(key);
        return json.substring(0, json.length() - 1) + ",\"" + key + "\":" + jsonValue + "}";
    }

    /** TYPICAL without one key. */
    static String without(String key) {
        String k = "\"" + key + "\":";
        int at = TYPICAL.indexOf(k);
        if (at < 0) {
            return TYPICAL;
        }
        int end = at + k.length();
        if (TYPICAL.charAt(end) == '"') {
            end = TYPICAL.indexOf('"', end + 1) + 1;
        } else {
            while (TYPICAL.charAt(end) != ',' && TYPICAL.charAt(end) != '}') {
                end++;
            }
        }
        String before = TYPICAL.substring(0, at);
        String after = TYPICAL.substring(end);
        if (after.startsWith(",")) {
            after = after.substring(1);
        } else if (before.endsWith(",")) {
            before = before.substring(0, before.length() - 1);
        }
        return before + after;
    }

    /** The repository's real IoT-23 captures (data/iot23): -Dnids.iot23.dir, as Maven sets it. */
    static Path iot23Dir() {
        return Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"));
    }

    static Path sample(String name) {
        return iot23Dir().resolve(name);
    }
}
