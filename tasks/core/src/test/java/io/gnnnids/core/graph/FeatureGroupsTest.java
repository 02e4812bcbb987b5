package io.gnnnids.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

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
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("conn_state_S0", "connection state"),
                Map.entry("resp_port_well_known", "responder port"),
                Map.entry("service_http", "service"),
                Map.entry("history_orig_S", "TCP history"),
                Map.entry("pair_interval_cv", "timing of the conversation"),
                Map.entry("log_pair_flows", "conversation with this peer"),
                Map.entry("log_orig_bytes", "bytes, packets and duration"),
                Map.entry("log_out_peers", "source's fan-out"),
                Map.entry("out_ports_per_flow", "source's fan-out"),
                Map.entry("out_no_answer_share", "source's unanswered and refused share"),
                Map.entry("log_in_peers", "source's fan-in"),
                Map.entry("mean_log_bytes_sent", "source's volumes"),
                Map.entry("udp_share", "source's protocol mix")));
        expected.forEach((feature, group) -> assertEquals(group, groupOf.get(feature), feature));
        assertTrue(groupOf.keySet().stream().noneMatch(f -> f.equals("ts") || f.contains("uid") || f.contains("addr")));
    }
}
