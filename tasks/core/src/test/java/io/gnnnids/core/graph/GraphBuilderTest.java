package io.gnnnids.core.graph;

import static io.gnnnids.core.graph.FlowMaker.flow;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    private static final GraphBuilder UNSCALED = new GraphBuilder(FeatureSpec.unscaled(NodeKey.IP, List.of("ssl")));

    private static float node(EdgeGraph g, int node, String feature) {
        return g.nodeFeatures()[node * g.nodeDim() + NodeFeatures.names().indexOf(feature)];
    }

    private static float edge(EdgeGraph g, int edge, String feature) {
        int column = UNSCALED.spec().edgeFeatures().indexOf(feature);
        assertTrue(column >= 0, "no feature " + feature);
        return g.edgeFeatures()[edge * g.edgeDim() + column];
    }

    @Test
    void horizontalScannerHasManyPeersAndNoAnswers() {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < 50; i++)
            flows.add(
                    flow().between("10.0.0.99", "10.0.1." + i, 23).unanswered().make());
        flows.add(flow().between("10.0.0.5", "10.0.1.0", 443).make());
        EdgeGraph g = UNSCALED.build(flows);
        assertEquals(52, g.nodes());
        int scanner = g.src()[0];
        assertEquals(Math.log1p(50), node(g, scanner, "log_out_flows"), 1e-6);
        assertEquals(Math.log1p(50), node(g, scanner, "log_out_peers"), 1e-6);
        assertEquals(Math.log1p(1), node(g, scanner, "log_out_resp_ports"), 1e-6);
        assertEquals(0, node(g, scanner, "log_in_flows"));
        assertEquals(1.0, node(g, scanner, "out_no_answer_share"));
        assertEquals(0.0, node(g, scanner, "out_rejected_share"));
        assertEquals(1.0, node(g, scanner, "out_peers_per_flow"));
        assertEquals(Math.log1p(1), node(g, scanner, "log_out_flows_per_peer"), 1e-6);
        assertEquals(1.0, node(g, scanner, "out_flow_share"));
        assertEquals(0, node(g, scanner, "mean_log_bytes_received"));

        int shared = g.dst()[0];
        assertEquals(Math.log1p(2), node(g, shared, "log_in_flows"), 1e-6);
        assertEquals(Math.log1p(2), node(g, shared, "log_in_peers"), 1e-6);
        assertEquals(Math.log1p(2), node(g, shared, "log_in_local_ports"), 1e-6);
        assertEquals(0.5, node(g, shared, "in_no_answer_share"));
        // Sent: 0 to the scanner, 3000 to the client; received 0 and 500.
        assertEquals(Math.log1p(3000) / 2, node(g, shared, "mean_log_bytes_sent"), 1e-6);
        assertEquals(Math.log1p(3000), node(g, shared, "max_log_bytes_sent"), 1e-6);
        assertEquals(Math.log1p(500) / 2, node(g, shared, "mean_log_bytes_received"), 1e-6);
        assertEquals(0, node(g, shared, "out_flow_share"));
    }

    @Test
    void verticalScannerHasManyPortsOnOnePeerRejected() {
        List<Flow> flows = new ArrayList<>();
        for (int p = 1; p <= 100; p++)
            flows.add(flow().between("10.0.0.99", "10.0.0.7", p).rejected().make());
        EdgeGraph g = UNSCALED.build(flows);
        assertEquals(2, g.nodes());
        assertEquals(Math.log1p(1), node(g, 0, "log_out_peers"), 1e-6);
        assertEquals(Math.log1p(100), node(g, 0, "log_out_resp_ports"), 1e-6);
        assertEquals(Math.log1p(100), node(g, 0, "log_out_ports_per_peer"), 1e-6);
        assertEquals(0.01f, node(g, 0, "out_peers_per_flow"), 1e-7);
        assertEquals(1.0, node(g, 0, "out_rejected_share"));
        assertEquals(Math.log1p(100), node(g, 1, "log_in_local_ports"), 1e-6);
        assertEquals(1.0, node(g, 1, "in_rejected_share"));
        assertEquals(Math.log1p(1), edge(g, 0, "log_pair_flows"), 1e-6);
    }

    @Test
    void repeatedConversationShowsCountIntervalAndRegularity() {
        List<Flow> beacons = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FlowMaker beacon = flow().at(1_000 + 10 * i);
            beacon.origBytes = 100L + 10 * i;
            beacons.add(beacon.make());
        }
        List<Flow> other = List.of(flow().between("10.0.0.1", "10.0.0.2", 80).make());
        EdgeGraph g = UNSCALED.build(other, beacons);
        for (int e = 0; e < 5; e++) {
            assertEquals(Math.log1p(5), edge(g, e, "log_pair_flows"), 1e-6);
            assertEquals(Math.log1p(10), edge(g, e, "log_pair_mean_interval_s"), 1e-6);
            assertEquals(0, edge(g, e, "pair_interval_cv"), 1e-6);
            assertEquals(0, edge(g, e, "pair_resp_bytes_std"), 1e-6);
        }
        assertEquals(Math.log1p(1), edge(g, 5, "log_pair_flows"), 1e-6);
        assertEquals(0, edge(g, 5, "log_pair_mean_interval_s"));
        assertEquals(1, edge(g, 5, "pair_interval_cv"));
        // Both endpoints have six flows, five of them in the beaconing conversation (port 443), one on port 80.
        assertEquals(5 / 6f, edge(g, 0, "pair_share_of_orig_out"), 1e-6);
        assertEquals(5 / 6f, edge(g, 0, "pair_share_of_resp_in"), 1e-6);
        assertEquals(1 / 6f, edge(g, 5, "pair_share_of_orig_out"), 1e-6);
        // Out of ts order, the conversation is still read in time order.
        List<Flow> reversed = new ArrayList<>(beacons);
        Collections.reverse(reversed);
        EdgeGraph r = UNSCALED.build(reversed);
        assertEquals(Math.log1p(10), edge(r, 0, "log_pair_mean_interval_s"), 1e-6);
        assertEquals(0, edge(r, 0, "pair_interval_cv"), 1e-6);
    }

    @Test
    void contextShapesTheGraphButOnlyTheBatchIsScored() {
        List<Flow> context = List.of(
                flow().benign().make(),
                flow().between("10.0.0.3", "10.0.0.2", 443).make());
        List<Flow> batch = List.of(flow().between("10.0.0.3", "10.0.0.4", 22)
                .attack("BruteForce-SSH")
                .make());
        EdgeGraph g = UNSCALED.build(context, batch);
        assertEquals(3, g.edges());
        assertEquals(4, g.nodes());
        assertArrayEquals(new boolean[] {true, false, false}, g.scored());
        assertArrayEquals(new int[] {1, 0, -1}, g.labels());
        // The batch flow's originator also originated a context flow.
        assertEquals(Math.log1p(2), node(g, g.src()[0], "log_out_flows"), 1e-6);

        EdgeGraph all = UNSCALED.build(batch);
        assertNull(all.scored());
        assertArrayEquals(new int[] {1}, all.labels());
        assertNull(UNSCALED.build(List.of(flow().make())).labels());
    }

    @Test
    void ipPortKeysServicesApartAndOriginatorsByAddress() {
        List<Flow> flows = List.of(
                flow().between("10.0.0.1", "10.0.0.2", 443).make(),
                flow().between("10.0.0.1", "10.0.0.2", 22).make(),
                flow().between("10.0.0.2", "10.0.0.1", 443).make());
        assertEquals(2, UNSCALED.build(flows).nodes());
        EdgeGraph g = new GraphBuilder(FeatureSpec.unscaled(NodeKey.IP_PORT, List.of())).build(flows);
        assertEquals(5, g.nodes());
        assertEquals(g.src()[0], g.src()[1]);
        assertTrue(g.dst()[0] != g.dst()[1]);
    }

    @Test
    void refusesASpecWithAnotherLayout() {
        FeatureSpec spec = FeatureSpec.unscaled(NodeKey.IP, List.of("dns"));
        List<String> renamed = new ArrayList<>(spec.edgeFeatures());
        renamed.set(0, "duration");
        FeatureSpec other = new FeatureSpec(
                0, NodeKey.IP, spec.services(), renamed, spec.nodeFeatures(), spec.edgeScaler(), spec.nodeScaler());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GraphBuilder(other));
        assertTrue(e.getMessage().contains("retrain"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.fromJson("{\"version\":1}"));
    }
}
