package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.PrivateAddress;
import io.gnnnids.core.model.Baseline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Labelled attacks laid over a real network's own traffic. From the flows observed in a period it takes the
 * network's internal hosts (addresses local by local_orig/local_resp or, when unset, by being private), the TCP
 * services they answered on, their source-port ranges and the outside peers they talk to; builds a
 * {@link NetworkModel} of that network ({@link NetworkModel#observed}) and runs the generator's own
 * {@link AttackPlan} on it. The attacks are the generator's families: inbound scans of the real subnets, brute
 * force against the services the real hosts offer, floods of the host serving the web, and the outward campaign
 * of infected devices (telnet sweeps, floods, C&C retries, Torii-like C&C, payload downloads, exploits) launched
 * from real internal hosts, IoT-like ones (few outside peers) first; all of it within the observed period.
 *
 * <p>Training on a deployment's own unlabelled flows as benign with these as positives teaches a model what
 * attacks look like against that very network.
 */
public final class AttackOverlay {

    /** Most outside peers remembered (enough to keep the attackers' addresses away from real ones). */
    private static final int MAX_PEERS = 100_000;
    /** Most distinct outside peers counted per host (enough to tell devices from computers). */
    private static final int MAX_PEERS_PER_HOST = 64;

    private AttackOverlay() {}

    /** One internal host as observed. */
    public record ObservedHost(
            int addr,
            Set<Integer> tcpServices,
            boolean answersDns,
            int externalPeers,
            int ephemeralLow,
            int ephemeralHigh) {
        public String ip() {
            return Addresses.format(addr);
        }
    }

    /**
     * What the flows show: the internal IPv4 hosts in address order, the gateways among them (x.x.x.1, or
     * x.x.x.254 answering DNS), the outside IPv4 peers in address order, and the period [start, end].
     */
    public record Observation(
            List<ObservedHost> hosts,
            Set<Integer> gatewayAddrs,
            List<Integer> externalAddrs,
            double start,
            double end) {}

    /** The attacks a baseline training run puts onto its network, drawn from {@code seed}. */
    public static Baseline.Attacks drawnFrom(long seed) {
        return (observed, count) -> attacks(observed, seed, count);
    }

    /**
     * {@code attackFlows} labelled attack flows (label malicious, the family's detailed label) against and from
     * the hosts of the observed network, in ts order within its period. The same flows and seed give the same
     * attacks.
     *
     * @throws IllegalArgumentException when the flows show no internal IPv4 host
     */
    public static List<Flow> attacks(List<Flow> observed, long seed, long attackFlows) {
        if (attackFlows < 0) throw new IllegalArgumentException("attack flows must be 0 or more, got " + attackFlows);
        Observation obs = observe(observed);
        NetworkModel net = NetworkModel.observed(obs, seed);
        SplittableRandom rng = new SplittableRandom(NetworkModel.mix(seed ^ 0x6F7665726C6179L));
        FlowFactory factory = new FlowFactory(rng, seed ^ 0x6F7665726C6179L);
        List<Flow> out = new ArrayList<>((int) Math.min(attackFlows, Integer.MAX_VALUE - 8));
        for (FlowStream s : AttackPlan.build(net, rng, obs.start(), obs.end(), attackFlows)) {
            while (s.hasNext()) out.add(s.emit(factory));
        }
        out.sort(Comparator.comparingDouble(Flow::ts));
        return out;
    }

    /** The network model the attacks are drawn on: observed hosts, services and peers, seeded attackers. */
    public static NetworkModel model(List<Flow> observed, long seed) {
        return NetworkModel.observed(observe(observed), seed);
    }

    /** Hosts, services, peers and period of the observed flows. */
    public static Observation observe(List<Flow> flows) {
        if (flows.isEmpty()) throw new IllegalArgumentException("no observed flows");
        Map<Integer, HostStats> hosts = new TreeMap<>();
        TreeSet<Integer> peers = new TreeSet<>();
        double first = Double.POSITIVE_INFINITY;
        double last = Double.NEGATIVE_INFINITY;
        for (Flow f : flows) {
            first = Math.min(first, f.ts());
            last = Math.max(last, f.ts());
            boolean oLocal = local(f.origH(), f.localOrig());
            boolean rLocal = local(f.respH(), f.localResp());
            int o = unicast(f.origH());
            int r = unicast(f.respH());
            if (oLocal && o != 0) {
                HostStats h = hosts.computeIfAbsent(o, k -> new HostStats());
                // TCP source ports are ephemeral; UDP ones are often the service's own (5353, 1900, 123).
                if ("tcp".equals(f.proto()) && f.origP() >= 1024) h.port(f.origP());
                if (!rLocal && r != 0) h.peer(r);
            }
            if (rLocal && r != 0) {
                HostStats h = hosts.computeIfAbsent(r, k -> new HostStats());
                if ("tcp".equals(f.proto())
                        && f.history() != null
                        && f.history().contains("h")) {
                    h.services.add(f.respP());
                }
                if ("udp".equals(f.proto()) && f.respP() == 53 && f.respPkts() != null && f.respPkts() > 0) {
                    h.dns = true;
                }
            }
            if (!oLocal && o != 0 && peers.size() < MAX_PEERS) peers.add(o);
            if (!rLocal && r != 0 && peers.size() < MAX_PEERS) peers.add(r);
        }
        List<ObservedHost> out = new ArrayList<>();
        Set<Integer> gateways = new HashSet<>();
        for (Map.Entry<Integer, HostStats> e : hosts.entrySet()) {
            int addr = e.getKey();
            int last8 = addr & 0xFF;
            if (last8 == 0 || last8 == 255) continue;
            HostStats h = e.getValue();
            if (last8 == 1 || (last8 == 254 && h.dns)) gateways.add(addr);
            boolean known = h.low <= h.high && h.high - h.low >= 64;
            out.add(new ObservedHost(
                    addr,
                    Collections.unmodifiableSet(new TreeSet<>(h.services)),
                    h.dns,
                    h.peers.size(),
                    known ? h.low : 32768,
                    known ? h.high : 60999));
        }
        double start = Math.ceil(first * 1e6) / 1e6;
        double end = Math.max(last, start + 1);
        return new Observation(
                Collections.unmodifiableList(out),
                Collections.unmodifiableSet(gateways),
                List.copyOf(peers),
                start,
                end);
    }

    private static boolean local(String ip, Boolean flag) {
        return flag != null ? flag : PrivateAddress.isPrivate(ip);
    }

    /** The IPv4 unicast address as an int, 0 for IPv6, unspecified, broadcast or multicast. */
    static int unicast(String ip) {
        if (ip == null || ip.indexOf(':') >= 0) return 0;
        String[] p = ip.split("\\.");
        if (p.length != 4) return 0;
        int a = Integer.parseInt(p[0]);
        if (a == 0 || a == 127 || a >= 224) return 0;
        return Addresses.of(a, Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }

    private static final class HostStats {
        final Set<Integer> services = new TreeSet<>();
        final Set<Integer> peers = new HashSet<>();
        boolean dns;
        int low = Integer.MAX_VALUE;
        int high = Integer.MIN_VALUE;

        void port(int p) {
            low = Math.min(low, p);
            high = Math.max(high, p);
        }

        void peer(int addr) {
            if (peers.size() < MAX_PEERS_PER_HOST) peers.add(addr);
        }
    }
}
