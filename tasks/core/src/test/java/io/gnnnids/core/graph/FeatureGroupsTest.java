package io.gnnnids.core.graph;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureGroupsTest {

    private final FeatureSpec spec = FeatureSpec.unscaled(NodeKey.IP, List.of("dns", "http", "ssl"));

    @Test
    void everyColumnIsInExactlyOneGroup() {
        int[] edgeSeen = new int[spec.edgeDim()];
        int[] nodeSeen = new int[spec.nodeDim()];
        for (FeatureGroups.Group g : FeatureGroups.of(spec)) {
            for (int c : g.columns()) (g.sourceNode() ? nodeSeen : edgeSeen)[c]++;
        }
        for (int n : edgeSeen) assertEquals(1, n);
        for (int n : nodeSeen) assertEquals(1, n);
    }

    @Test
    void groupsAreNamedAfterWhatAPersonReadsAVerdictBy() {
        Map<String, String> groupOf = new TreeMap<>();
        for (FeatureGroups.Group g : FeatureGroups.of(spec)) {
            for (int c : g.columns()) {
                groupOf.put((g.sourceNode() ? spec.nodeFeatures() : spec.edgeFeatures()).get(c), g.name());
            }
        }
        assertEquals("connection state", groupOf.get("conn_state_S0"));
        assertEquals("responder port", groupOf.get("resp_port_well_known"));
        assertEquals("service", groupOf.get("service_http"));
        assertEquals("TCP history", groupOf.get("history_orig_S"));
        assertEquals("timing of the conversation", groupOf.get("pair_interval_cv"));
        assertEquals("conversation with this peer", groupOf.get("log_pair_flows"));
        assertEquals("bytes, packets and duration", groupOf.get("log_orig_bytes"));
        assertEquals("source's fan-out", groupOf.get("log_out_peers"));
        assertEquals("source's fan-out", groupOf.get("out_ports_per_flow"));
        assertEquals("source's unanswered and refused share", groupOf.get("out_no_answer_share"));
        assertEquals("source's fan-in", groupOf.get("log_in_peers"));
        assertEquals("source's volumes", groupOf.get("mean_log_bytes_sent"));
        assertEquals("source's protocol mix", groupOf.get("udp_share"));
        assertTrue(groupOf.keySet().stream().noneMatch(f -> f.equals("ts") || f.contains("uid") || f.contains("addr")));
    }
}
