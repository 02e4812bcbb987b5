package io.gnnnids.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.flow.FlowValidator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttackOverlayTest {

    /** A network's traffic as a deployment sees it: no labels. */
    private static List<Flow> observedNetwork(int hosts, long seed, long flows) {
        List<Flow> out = new ArrayList<>();
        new TrafficGenerator(new GeneratorOptions(flows, hosts, 1, Instant.parse("2024-05-01T06:00:00Z"), 0, seed))
                .forEachRemaining(f -> out.add(unlabelled(f)));
        return out;
    }

    private static Flow unlabelled(Flow f) {
        return f.withLabel(null, null);
    }

    private static List<Flow> echoCapture() throws Exception {
        Path csv = Path.of(
                System.getProperty("nids.iot23.dir", "../../data/iot23"), "CTU-Honeypot-Capture-5-1-labeled.csv");
        List<Flow> flows = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(csv, FlowFormat.AUTO)) {
            r.forEachRemaining(i -> {
                if (i.flow() != null) flows.add(unlabelled(i.flow()));
            });
        }
        flows.sort(Comparator.comparingDouble(Flow::ts));
        return flows;
    }

    @Test
    void attacksUseTheObservedHostsAndServicesWithinThePeriod() throws Exception {
        List<Flow> observed = observedNetwork(60, 4, 30_000);
        AttackOverlay.Observation obs = AttackOverlay.observe(observed);
        Set<String> internal = new HashSet<>();
        Map<String, Set<Integer>> services = new java.util.HashMap<>();
        for (AttackOverlay.ObservedHost h : obs.hosts()) {
            internal.add(h.ip());
            services.put(h.ip(), h.tcpServices());
        }
        NetworkModel truth = NetworkModel.build(60, 4);
        for (Host h : truth.internalHosts()) {
            if (observed.stream().anyMatch(f -> f.origH().equals(h.ip())))
                assertTrue(internal.contains(h.ip()), h.ip());
        }
        Host web = truth.byRole(Role.WEB_SERVER).get(0);
        assertTrue(services.get(web.ip()).contains(443), "the web server's services: " + services.get(web.ip()));
        assertTrue(obs.gatewayAddrs().contains(truth.gateway().addr()));
        Set<String> peers = new HashSet<>();
        for (int a : obs.externalAddrs()) peers.add(Addresses.format(a));

        List<Flow> attacks = AttackOverlay.attacks(observed, 9, 6_000);
        assertEquals(6_000, attacks.size());
        double previous = obs.start();
        Set<String> labels = new HashSet<>();
        for (Flow f : attacks) {
            String where = f.toString();
            assertEquals(f, FlowValidator.validate(f));
            assertEquals(Flow.MALICIOUS, f.label(), where);
            labels.add(f.detailedLabel());
            assertTrue(f.ts() >= previous && f.ts() <= obs.end(), where);
            previous = f.ts();
            // Whatever is local is a real host, or a real subnet's address a scan hits.
            if (f.localOrig()) assertTrue(internal.contains(f.origH()), where);
            if (f.localResp() && !"PartOfAHorizontalPortScan".equals(f.detailedLabel())) {
                assertTrue(internal.contains(f.respH()), where);
            }
            // Attackers are not the network's real peers.
            if (!f.localOrig()) assertFalse(peers.contains(f.origH()), where);
            // Brute force hits services the hosts really offer.
            if ("BruteForce-SSH".equals(f.detailedLabel()) && f.localResp()) {
                assertTrue(services.get(f.respH()).contains(22), where);
            }
            if ("BruteForce-HTTP".equals(f.detailedLabel()) && f.localResp() && !f.localOrig()) {
                assertTrue(services.get(f.respH()).contains(f.respP()), where);
            }
        }
        Set<String> families = new HashSet<>();
        for (AttackFamily family : AttackFamily.values()) families.add(family.label);
        assertEquals(families, labels);
        // The outward campaign starts from a real internal host.
        assertTrue(attacks.stream()
                .anyMatch(f -> "DDoS".equals(f.detailedLabel())
                        && "OTH".equals(f.connState())
                        && internal.contains(f.origH())
                        && !f.localResp()));
    }

    @Test
    void sameObservationAndSeedGiveTheSameAttacks() {
        List<Flow> observed = observedNetwork(30, 2, 10_000);
        List<Flow> a = AttackOverlay.attacks(observed, 5, 2_000);
        assertEquals(a, AttackOverlay.attacks(observed, 5, 2_000));
        assertNotEquals(a, AttackOverlay.attacks(observed, 6, 2_000));
        assertTrue(AttackOverlay.attacks(observed, 5, 0).isEmpty());
    }

    @Test
    void onARealOneDeviceCaptureTheDeviceIsTheInfectedHost() throws Exception {
        List<Flow> echo = echoCapture();
        AttackOverlay.Observation obs = AttackOverlay.observe(echo);
        NetworkModel net = AttackOverlay.model(echo, 1);
        Set<String> internal = new HashSet<>();
        for (Host h : net.internalHosts()) internal.add(h.ip());
        assertTrue(internal.contains("192.168.2.3"), internal.toString());
        assertTrue(
                net.gateways().stream().anyMatch(g -> g.ip().equals("192.168.2.1")),
                net.gateways().toString());
        List<Flow> attacks = AttackOverlay.attacks(echo, 1, 3_000);
        assertEquals(3_000, attacks.size());
        Set<String> labels = new HashSet<>();
        for (Flow f : attacks) {
            assertEquals(f, FlowValidator.validate(f));
            assertTrue(f.ts() >= obs.start() && f.ts() <= obs.end(), f.toString());
            if (f.localOrig())
                assertTrue(internal.contains(f.origH()) || f.origH().equals("192.168.2.1"), f.toString());
            labels.add(f.detailedLabel());
        }
        assertEquals(AttackFamily.values().length, labels.size(), labels.toString());
        assertTrue(attacks.stream()
                .anyMatch(f -> f.origH().equals(net.primaryBot().ip())
                        && "PartOfAHorizontalPortScan".equals(f.detailedLabel())
                        && f.respP() == 23));
    }

    @Test
    void refusesFlowsWithoutInternalHosts() {
        assertThrows(IllegalArgumentException.class, () -> AttackOverlay.attacks(List.of(), 1, 10));
        List<Flow> outsideOnly = new ArrayList<>();
        for (Flow f : observedNetwork(10, 1, 200)) {
            if (!Boolean.TRUE.equals(f.localOrig()) && !Boolean.TRUE.equals(f.localResp())) outsideOnly.add(f);
        }
        if (outsideOnly.isEmpty())
            outsideOnly.add(new Flow(
                    1.7e9, "Cabc", "8.8.8.8", 53, "1.1.1.1", 53, "udp", null, null, null, null, "S0", false, false, 0L,
                    "D", 1L, 60L, 0L, 0L, null, null));
        assertThrows(IllegalArgumentException.class, () -> AttackOverlay.attacks(outsideOnly, 1, 10));
    }
}
