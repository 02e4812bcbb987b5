package io.gnnnids.core.graph;

import static io.gnnnids.core.graph.FlowMaker.flow;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeFeaturesTest {

    private final EdgeFeatures features = new EdgeFeatures(List.of("dns", "http", "ssl"));

    private float value(float[] row, String name) {
        int i = features.names().indexOf(name);
        assertTrue(i >= 0, "no feature " + name);
        return row[i];
    }

    /** The names of the columns set in a one-hot group (prefix). */
    private List<String> hot(float[] row, String prefix) {
        return features.names().stream()
                .filter(n -> n.startsWith(prefix) && value(row, n) != 0)
                .toList();
    }

    @Test
    void namesMatchTheRowAndAreUnique() {
        float[] row = features.row(flow().make());
        assertEquals(features.dim(), row.length);
        assertEquals(features.dim(), new HashSet<>(features.names()).size());
        assertEquals(13 + 4 + 5 + 14 + 4 + 8 + 25 + 4, features.dim());
    }

    @Test
    void volumesAreLog1pAndRatesPerPacketAndSecond() {
        float[] row = features.row(flow().make());
        assertEquals(Math.log1p(1500), value(row, "log_duration_ms"), 1e-5);
        assertEquals(Math.log1p(500), value(row, "log_orig_bytes"), 1e-5);
        assertEquals(Math.log1p(3000), value(row, "log_resp_bytes"), 1e-5);
        assertEquals(Math.log1p(5), value(row, "log_orig_pkts"), 1e-5);
        assertEquals(Math.log1p(6), value(row, "log_resp_pkts"), 1e-5);
        assertEquals(Math.log1p(760), value(row, "log_orig_ip_bytes"), 1e-5);
        assertEquals(Math.log1p(3312), value(row, "log_resp_ip_bytes"), 1e-5);
        assertEquals(0, value(row, "log_missed_bytes"));
        assertEquals(Math.log1p(100), value(row, "log_orig_bytes_per_pkt"), 1e-5);
        assertEquals(Math.log1p(500), value(row, "log_resp_bytes_per_pkt"), 1e-5);
        assertEquals(Math.log1p(11 / 1.5), value(row, "log_pkts_per_second"), 1e-5);
        assertEquals(0, value(row, "duration_unset"));
        assertEquals(0, value(row, "bytes_unset"));
    }

    @Test
    void categoriesAreOneHot() {
        float[] row = features.row(flow().make());
        assertEquals(List.of("proto_tcp"), hot(row, "proto_"));
        assertEquals(List.of("service_ssl"), hot(row, "service_"));
        assertEquals(List.of("conn_state_SF"), hot(row, "conn_state_"));
        assertEquals(List.of("resp_port_well_known", "resp_port_group_web"), hot(row, "resp_port_"));
        assertEquals(List.of("local_orig"), hot(row, "local_"));

        float[] udp = features.row(flow().between("a", "b", 50_000).make());
        assertEquals(List.of("resp_port_dynamic", "resp_port_group_other"), hot(udp, "resp_port_"));
        float[] telnet = features.row(flow().between("a", "b", 2323).make());
        assertEquals(List.of("resp_port_registered", "resp_port_group_remote_access"), hot(telnet, "resp_port_"));
    }

    @Test
    void serviceOutsideTheVocabularyIsOtherAndUnsetIsNone() {
        FlowMaker f = flow();
        f.service = "smtp";
        assertEquals(List.of("service_other"), hot(features.row(f.make()), "service_"));
        f.service = "http,dns";
        assertEquals(List.of("service_http"), hot(features.row(f.make()), "service_"));
        f.service = null;
        assertEquals(List.of("service_none"), hot(features.row(f.make()), "service_"));
    }

    @Test
    void historyLettersAreCountedPerCaseAndLogScaled() {
        FlowMaker f = flow();
        f.history = "ShADDDdaTtt^";
        float[] row = features.row(f.make());
        assertEquals(Math.log1p(3), value(row, "history_orig_D"), 1e-6);
        assertEquals(Math.log1p(1), value(row, "history_resp_d"), 1e-6);
        assertEquals(Math.log1p(1), value(row, "history_orig_T"), 1e-6);
        assertEquals(Math.log1p(2), value(row, "history_resp_t"), 1e-6);
        assertEquals(Math.log1p(1), value(row, "history_flipped"), 1e-6);
        assertEquals(0, value(row, "history_orig_F"));
        assertEquals(0, value(row, "history_resp_f"));
    }

    @Test
    void unsetFieldsGiveZerosAndFlags() {
        FlowMaker f = flow().unanswered();
        f.origBytes = null;
        f.respBytes = null;
        f.localOrig = null;
        f.localResp = null;
        f.history = null;
        f.connState = "XYZ";
        float[] row = features.row(f.make());
        assertEquals(1, value(row, "duration_unset"));
        assertEquals(1, value(row, "bytes_unset"));
        assertEquals(0, value(row, "log_duration_ms"));
        assertEquals(0, value(row, "log_pkts_per_second"));
        assertEquals(0, value(row, "log_orig_bytes"));
        assertEquals(List.of("conn_state_unknown"), hot(row, "conn_state_"));
        assertEquals(
                List.of("local_orig", "local_resp", "local_orig_unknown", "local_resp_unknown"), hot(row, "local_"));
        assertEquals(List.of(), hot(row, "history_"));
    }

    @Test
    void unsetLocalityFallsBackToPrivateAddressRanges() {
        FlowMaker f = flow().between("192.168.1.5", "8.8.8.8", 53);
        f.localOrig = null;
        f.localResp = null;
        assertEquals(
                List.of("local_orig", "local_orig_unknown", "local_resp_unknown"),
                hot(features.row(f.make()), "local_"));
        f.origH = "172.32.0.1";
        f.respH = "fd00::1";
        assertEquals(
                List.of("local_resp", "local_orig_unknown", "local_resp_unknown"),
                hot(features.row(f.make()), "local_"));
    }

    @Test
    void icmpHasNoPortClass() {
        FlowMaker f = flow().between("a", "b", 3);
        f.proto = "icmp";
        float[] row = features.row(f.make());
        assertEquals(List.of("proto_icmp"), hot(row, "proto_"));
        assertEquals(List.of("resp_port_none", "resp_port_group_other"), hot(row, "resp_port_"));
    }

    @Test
    void identitiesAreNotFeatures() {
        Flow a = flow().make();
        FlowMaker other = flow().between("192.168.7.7", "8.8.4.4", 443).at(1_800_000_000.0);
        other.uid = "CzzZ";
        other.origP = 51_234;
        assertArrayEquals(features.row(a), features.row(other.make()));
    }

    @Test
    void fastLogarithmMatchesLog1pToFloatPrecision() {
        for (double v : new double[] {0, 1e-9, 1e-4, 0.37, 1, 2.5, 999, 1_023, 1_024, 65_535, 1e6 + 7, 3.3e9, 1e15}) {
            assertEquals(Math.log1p(v), EdgeFeatures.log1p(v), 1e-6 * Math.max(1, Math.log1p(v)), "log1p(" + v + ")");
            assertEquals(Math.log1p((long) v), EdgeFeatures.log1p((long) v), 1e-6 * Math.max(1, Math.log1p(v)));
        }
        assertEquals(0, EdgeFeatures.log1p(-5.0));
    }

    @Test
    void vocabularyKeepsTheMostFrequentServicesTiesByName() {
        Map<String, Long> counts = Map.of("dns", 50L, "http", 20L, "ssl", 20L, "ssh", 3L);
        assertEquals(List.of("dns", "http", "ssl"), EdgeFeatures.fitServices(counts, 3));
        assertEquals(List.of("dns", "http", "ssl", "ssh"), EdgeFeatures.fitServices(counts, 12));
    }
}
