package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What every real network is full of besides what its people do, all benign and around the clock: broadcast and
 * multicast discovery (SSDP, mDNS over IPv4 and IPv6, LLMNR, NetBIOS name queries to the subnet broadcast), DHCP
 * (broadcasts from 0.0.0.0 and renewals with the gateway), NTP and DNS with the gateway or resolver (failures
 * included), ICMP (pings, unreachables, time exceeded), IPv6 link-local neighbour discovery and multicast listener
 * reports, connections to addresses where no host answers, stale connections whose start Zeek never saw, and the
 * internet's background scanning of the gateway and public servers: a few probes per scanner, unlike the campaigns
 * of {@link AttackPlan}.
 */
final class LocalTraffic {

    static final int DHCP_BROADCAST = 0,
            DHCP_RENEW = 1,
            SSDP = 2,
            MDNS = 3,
            MDNS6 = 4,
            LLMNR = 5,
            NETBIOS = 6,
            NTP_GATEWAY = 7,
            DNS_LOCAL = 8,
            ICMP_ECHO = 9,
            ICMP_ERROR = 10,
            IPV6_ND = 11,
            ABSENT = 12,
            STALE = 13,
            BACKGROUND_SCAN = 14,
            KINDS = 15;

    private static final double[] BASE = {
        0.08, 0.04, 0.08, 0.12, 0.06, 0.04, 0.04, 0.05, 0.12, 0.06, 0.03, 0.05, 0.05, 0.06, 0.12
    };
    private static final int[] ABSENT_TCP_PORTS = {80, 443, 445, 139, 554, 8009, 9100, 62078, 7000, 8080, 3389, 22};
    private static final int[] ABSENT_UDP_PORTS = {137, 161, 5683, 10001, 9999, 6667, 1900};
    private static final int[] SCANNED_PORTS = {
        22, 23, 80, 443, 445, 3389, 8080, 5060, 1433, 3306, 5900, 8443, 21, 25, 110, 143, 6379, 9200, 2323, 7547, 8888,
        5555
    };
    private static final int[] SCANNED_UDP_PORTS = {53, 123, 161, 1900, 5060, 11211, 19, 389};

    private final NetworkModel net;
    private final double start;
    private final double end;
    private final List<Host> dynamic;
    private final List<Host> speakers;
    private final List<Host> internal;

    LocalTraffic(NetworkModel net, double start, double end) {
        this.net = net;
        this.start = start;
        this.end = end;
        this.dynamic = net.dynamicHosts();
        this.internal = new ArrayList<>(net.internalHosts());
        this.speakers = new ArrayList<>(dynamic);
        speakers.addAll(net.gateways());
    }

    /** Relative weights of the kinds, varied per network; homes chatter more and are scanned less. */
    static double[] drawMix(SplittableRandom rng, boolean home) {
        double[] w = new double[KINDS];
        for (int i = 0; i < KINDS; i++) w[i] = BASE[i] * (0.3 + 1.4 * rng.nextDouble());
        if (home) {
            w[DHCP_BROADCAST] *= 2;
            w[MDNS] *= 1.5;
            w[BACKGROUND_SCAN] *= 0.5;
        }
        return w;
    }

    /** Streams of exactly {@code total} flows, a few of every kind whenever the total allows. */
    List<FlowStream> streams(long total, SplittableRandom rng) {
        double[] mix = net.localMix;
        long floor = total >= 6L * KINDS ? 3 : 0;
        long[] counts = Apportion.byWeights(total - floor * KINDS, mix);
        List<FlowStream> out = new ArrayList<>();
        double span = end - start;
        for (int k = 0; k < KINDS; k++) {
            long n = counts[k] + floor;
            if (n == 0) continue;
            double period = span / n;
            out.add(FlowStream.periodic(start + rng.nextDouble() * period, n, period, 0.45, end, maker(k)));
        }
        return out;
    }

    private FlowStream.Maker maker(int kind) {
        return switch (kind) {
            case DHCP_BROADCAST -> this::dhcpBroadcast;
            case DHCP_RENEW -> this::dhcpRenew;
            case SSDP -> this::ssdp;
            case MDNS -> this::mdns;
            case MDNS6 -> this::mdns6;
            case LLMNR -> this::llmnr;
            case NETBIOS -> this::netbios;
            case NTP_GATEWAY -> this::ntpGateway;
            case DNS_LOCAL -> this::dnsLocal;
            case ICMP_ECHO -> this::icmpEcho;
            case ICMP_ERROR -> this::icmpError;
            case IPV6_ND -> this::ipv6Nd;
            case ABSENT -> this::absent;
            case STALE -> this::stale;
            default -> backgroundScan();
        };
    }

    /** A lookup at the host's resolver: mostly answered at once, sometimes retried without answer. */
    static Flow dns(FlowFactory f, double ts, Host c, Host server, double failShare) {
        SplittableRandom r = f.rng();
        long query = 28 + r.nextInt(45);
        if (r.nextDouble() < failShare) {
            int tries = r.nextInt(3) == 0 ? 2 : 1;
            return f.udp(
                    ts, c, f.sourcePort(c), server, 53, "dns", 5.0 + r.nextDouble(), query * tries, 0, tries, 0, null);
        }
        long answer = query + 16 + Sampling.logUniform(r, 16, 420);
        return f.udp(
                ts,
                c,
                f.sourcePort(c),
                server,
                53,
                "dns",
                Sampling.logUniform(r, 0.0004, 0.08),
                query,
                answer,
                1,
                1,
                null);
    }

    private Flow dhcpBroadcast(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        // DISCOVER or REQUEST of a client without an address; retransmitted after 4, 8, 16 s when nobody answers.
        int pkts = r.nextInt(3) == 0 ? 1 : 2 + r.nextInt(3);
        long each = 300 + r.nextInt(300);
        double duration = pkts == 1 ? 0 : 4 * (Math.pow(2, pkts - 1) - 1) * (0.9 + 0.2 * r.nextDouble());
        return f.udp(
                ts,
                "0.0.0.0",
                false,
                68,
                "255.255.255.255",
                false,
                67,
                "dhcp",
                duration,
                each * pkts,
                0,
                pkts,
                0,
                false,
                null);
    }

    private Flow dhcpRenew(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(dynamic, r);
        long size = 300 + r.nextInt(60);
        return f.udp(
                ts,
                h,
                68,
                net.gatewayOf(h),
                67,
                "dhcp",
                Sampling.logUniform(r, 0.0005, 0.03),
                size,
                size + r.nextInt(40),
                1,
                1,
                null);
    }

    private Flow ssdp(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(speakers, r);
        boolean notify = h.role() == Role.GATEWAY || r.nextInt(4) == 0;
        int pkts = 1 + r.nextInt(notify ? 6 : 3);
        long each = notify ? 280 + r.nextInt(120) : 90 + r.nextInt(110);
        return f.udp(
                ts,
                h.ip(),
                true,
                notify ? 1900 : f.sourcePort(h),
                "239.255.255.250",
                false,
                1900,
                null,
                pkts * (0.05 + 0.5 * r.nextDouble()),
                each * pkts,
                0,
                pkts,
                0,
                false,
                null);
    }

    private Flow mdns(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(speakers, r);
        int pkts = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
        long each = 30 + r.nextInt(420);
        return f.udp(
                ts,
                h.ip(),
                true,
                5353,
                "224.0.0.251",
                false,
                5353,
                "dns",
                pkts * (0.2 + r.nextDouble()),
                each * pkts,
                0,
                pkts,
                0,
                false,
                null);
    }

    private Flow mdns6(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(speakers, r);
        int pkts = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
        long each = 30 + r.nextInt(420);
        return f.udp(
                ts,
                net.linkLocal(h),
                true,
                5353,
                "ff02::fb",
                false,
                5353,
                "dns",
                pkts * (0.2 + r.nextDouble()),
                each * pkts,
                0,
                pkts,
                0,
                true,
                null);
    }

    private Flow llmnr(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(dynamic, r);
        boolean v6 = r.nextBoolean();
        int pkts = r.nextInt(3) == 0 ? 1 : 2;
        long each = 30 + r.nextInt(30);
        return f.udp(
                ts,
                v6 ? net.linkLocal(h) : h.ip(),
                true,
                f.sourcePort(h),
                v6 ? "ff02::1:3" : "224.0.0.252",
                false,
                5355,
                "dns",
                pkts == 1 ? 0 : 0.1 + 0.01 * r.nextDouble(),
                each * pkts,
                0,
                pkts,
                0,
                v6,
                null);
    }

    private Flow netbios(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(dynamic, r);
        int broadcast = (h.addr() & 0xFFFFFF00) | 0xFF;
        int pkts = 1 + r.nextInt(3);
        long each = r.nextInt(3) == 0 ? 68 : 50;
        return f.udp(
                ts,
                h.ip(),
                true,
                137,
                Addresses.format(broadcast),
                true,
                137,
                "dns",
                (pkts - 1) * (0.75 + 0.05 * r.nextDouble()),
                each * pkts,
                0,
                pkts,
                0,
                false,
                null);
    }

    private Flow ntpGateway(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(r.nextInt(3) == 0 || net.servers().isEmpty() ? dynamic : net.servers(), r);
        boolean answered = r.nextInt(40) != 0;
        return f.udp(
                ts,
                h,
                h.role().isClient() ? f.sourcePort(h) : 123,
                net.gatewayOf(h),
                123,
                "ntp",
                Sampling.logUniform(r, 0.0003, 0.01),
                48,
                answered ? 48 : 0,
                1,
                answered ? 1 : 0,
                null);
    }

    private Flow dnsLocal(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(internal, r);
        Host resolver = net.resolverFor(h);
        if (resolver.equals(h)) resolver = net.gatewayOf(h);
        return dns(f, ts, h, resolver, 0.08);
    }

    private Flow icmpEcho(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(internal, r);
        long payload = h.role().isClient() && h.ephemeralHigh() == 65535 ? 32 : 56;
        int u = r.nextInt(10);
        if (u < 5) {
            // A device checks its gateway: a few pings a second apart, all answered.
            int pkts = 1 + r.nextInt(10);
            double rtt = Sampling.logUniform(r, 0.0003, 0.01);
            return f.icmp(
                    ts,
                    h.ip(),
                    true,
                    8,
                    net.gatewayOf(h).ip(),
                    true,
                    0,
                    pkts,
                    payload,
                    pkts,
                    (pkts - 1) + rtt,
                    false,
                    null);
        }
        if (u < 8) {
            Host peer = r.nextBoolean() ? Sampling.any(net.upstreamDns, r) : Sampling.any(net.webPeers, r);
            int pkts = 1 + r.nextInt(5);
            int answered = r.nextInt(5) == 0 ? 0 : pkts;
            return f.icmp(
                    ts,
                    h.ip(),
                    true,
                    8,
                    peer.ip(),
                    false,
                    0,
                    pkts,
                    payload,
                    answered,
                    (pkts - 1) + Sampling.logUniform(r, 0.005, 0.2),
                    false,
                    null);
        }
        // The router pings an address before leasing it: nobody should answer.
        Host gw = net.gatewayOf(h);
        return f.icmp(ts, gw.ip(), true, 8, h.ip(), true, 0, 1, 28, 0, 0, false, null);
    }

    private Flow icmpError(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(internal, r);
        long quoted = 28 + r.nextInt(80);
        return switch (r.nextInt(4)) {
            // The gateway: port unreachable (a closed port on it), host unreachable (no ARP answer).
            case 0 -> f.icmp(ts, net.gatewayOf(h).ip(), true, 3, h.ip(), true, 3, 1, quoted, 0, 0, false, null);
            case 1 -> f.icmp(ts, net.gatewayOf(h).ip(), true, 3, h.ip(), true, 1, 1, quoted, 0, 0, false, null);
            // A host refuses a datagram to a closed port of its own.
            case 2 ->
                f.icmp(ts, h.ip(), true, 3, Sampling.any(net.webPeers, r).ip(), false, 3, 1, quoted, 0, 0, false, null);
            // A router on the way: time exceeded (traceroute) or administratively prohibited.
            default ->
                f.icmp(
                        ts,
                        Addresses.format(Addresses.randomPublic(r)),
                        false,
                        r.nextBoolean() ? 11 : 3,
                        h.ip(),
                        true,
                        r.nextBoolean() ? 0 : 13,
                        1,
                        quoted,
                        0,
                        0,
                        false,
                        null);
        };
    }

    private Flow ipv6Nd(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(speakers, r);
        String ll = net.linkLocal(h);
        return switch (r.nextInt(5)) {
            // Router solicitation, up to three 4 s apart.
            case 0 -> {
                int pkts = 1 + r.nextInt(3);
                yield f.icmp(
                        ts,
                        ll,
                        true,
                        133,
                        "ff02::2",
                        false,
                        134,
                        pkts,
                        8,
                        0,
                        (pkts - 1) * 4.0 + r.nextDouble(),
                        true,
                        null);
            }
            // Duplicate address detection: a neighbour solicitation from the unspecified address.
            case 1 ->
                f.icmp(
                        ts,
                        "::",
                        false,
                        135,
                        solicitedNode(ll),
                        false,
                        136,
                        1,
                        r.nextBoolean() ? 16 : 24,
                        0,
                        0,
                        true,
                        null);
            // Multicast listener report.
            case 2 -> {
                int pkts = 1 + r.nextInt(2);
                boolean unspecified = r.nextBoolean();
                yield f.icmp(
                        ts,
                        unspecified ? "::" : ll,
                        !unspecified,
                        143,
                        "ff02::16",
                        false,
                        0,
                        pkts,
                        20,
                        0,
                        pkts == 1 ? 0 : Sampling.logUniform(r, 0.001, 1.0),
                        true,
                        null);
            }
            // The router's advertisement to all nodes.
            case 3 -> {
                Host gw = net.gatewayOf(h);
                yield f.icmp(
                        ts,
                        net.linkLocal(gw),
                        true,
                        134,
                        "ff02::1",
                        false,
                        133,
                        1,
                        56 + 8 * r.nextInt(7),
                        0,
                        0,
                        true,
                        null);
            }
            // Address resolution of the router: solicitation answered by an advertisement.
            default -> {
                Host gw = net.gatewayOf(h);
                yield f.icmp(
                        ts,
                        ll,
                        true,
                        135,
                        net.linkLocal(gw),
                        true,
                        136,
                        1,
                        24,
                        1,
                        Sampling.logUniform(r, 0.0002, 0.005),
                        true,
                        null);
            }
        };
    }

    /** ff02::1:ffXX:XXXX of a link-local address (its last 24 bits). */
    static String solicitedNode(String linkLocal) {
        String[] g = linkLocal.split(":");
        int third = Integer.parseInt(g[g.length - 2], 16) & 0xFF;
        return "ff02::1:ff" + String.format("%02x", third) + ":" + g[g.length - 1];
    }

    private Flow absent(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(internal, r);
        Host nobody = net.hostAt(absentAddress(h, r));
        int u = r.nextInt(10);
        if (u < 7) {
            // A device still tries an address it remembers: SYNs retransmitted without ARP answer.
            int port = ABSENT_TCP_PORTS[r.nextInt(ABSENT_TCP_PORTS.length)];
            return f.tcpNoAnswer(ts, h, f.sourcePort(h), nobody, port, 1 + r.nextInt(3), 60, null);
        }
        if (u < 9) {
            int port = ABSENT_UDP_PORTS[r.nextInt(ABSENT_UDP_PORTS.length)];
            int pkts = 1 + r.nextInt(3);
            long each = 20 + r.nextInt(200);
            return f.udp(
                    ts,
                    h,
                    f.sourcePort(h),
                    nobody,
                    port,
                    null,
                    (pkts - 1) * (1 + r.nextDouble()),
                    each * pkts,
                    0,
                    pkts,
                    0,
                    null);
        }
        // The address went to another device, which has the port closed.
        int port = ABSENT_TCP_PORTS[r.nextInt(ABSENT_TCP_PORTS.length)];
        return f.tcpRejected(ts, h, f.sourcePort(h), nobody, port, 60, Sampling.logUniform(r, 0.0002, 0.005), null);
    }

    /** An address of the host's subnet (or another local one) where no host lives. */
    private int absentAddress(Host h, SplittableRandom r) {
        int prefix = h.addr() & 0xFFFFFF00;
        int candidate = prefix | (2 + r.nextInt(253));
        for (int attempt = 0; attempt < 40; attempt++) {
            candidate = (attempt < 20 ? prefix : net.randomLocalAddress(r) & 0xFFFFFF00) | (2 + r.nextInt(253));
            if (net.hostAt(candidate).role() == Role.EXTERNAL) return candidate;
        }
        return candidate;
    }

    private Flow stale(double ts, FlowFactory f) {
        SplittableRandom r = f.rng();
        Host h = Sampling.any(internal, r);
        Host peer = Sampling.any(net.webPeers, r);
        int port = r.nextInt(4) == 0 ? 80 : 443;
        long small = 30 + r.nextInt(300);
        double d = Sampling.logUniform(r, 0.01, 0.5);
        return switch (r.nextInt(6)) {
            // The end of a long connection whose start Zeek did not see (it began before, or was expired).
            case 0 ->
                f.tcpCounted(
                        ts,
                        h,
                        f.sourcePort(h),
                        peer,
                        port,
                        null,
                        "OTH",
                        "DdA",
                        2,
                        small,
                        1,
                        30 + r.nextInt(200),
                        d,
                        null);
            case 1 ->
                f.tcpCounted(
                        ts,
                        h,
                        f.sourcePort(h),
                        peer,
                        port,
                        null,
                        "OTH",
                        "DadA",
                        2,
                        small,
                        2,
                        30 + r.nextInt(200),
                        d,
                        null);
            case 2 -> f.tcpCounted(ts, h, f.sourcePort(h), peer, port, null, "OTH", "Da", 1, small, 1, 0, d, null);
            case 3 -> f.tcpCounted(ts, h, f.sourcePort(h), peer, port, null, "OTH", "A", 1, 0, 0, 0, 0, null);
            // A FIN sent long after the connection was idle.
            default -> f.tcpCounted(ts, h, f.sourcePort(h), peer, port, null, "SH", "F", 1, 0, 0, 0, 0, null);
        };
    }

    /** Internet background radiation: each scanner sends one to four probes to an exposed host, then leaves. */
    private FlowStream.Maker backgroundScan() {
        List<Host> exposed = net.exposedHosts();
        Host[] scanner = {null};
        int[] left = {0};
        return (ts, f) -> {
            SplittableRandom r = f.rng();
            if (left[0] <= 0) {
                scanner[0] = Host.external(Addresses.randomPublic(r));
                left[0] = 1 + r.nextInt(4);
            }
            left[0]--;
            Host s = scanner[0];
            Host target = Sampling.any(exposed, r);
            int sport = 1024 + r.nextInt(64_512);
            int u = r.nextInt(20);
            if (u == 0) {
                boolean answered = target.role() != Role.GATEWAY || r.nextBoolean();
                return f.icmp(
                        ts,
                        s.ip(),
                        false,
                        8,
                        target.ip(),
                        true,
                        0,
                        1,
                        r.nextBoolean() ? 0 : 56,
                        answered ? 1 : 0,
                        Sampling.logUniform(r, 0.0001, 0.002),
                        false,
                        null);
            }
            if (u < 4) {
                int port = SCANNED_UDP_PORTS[r.nextInt(SCANNED_UDP_PORTS.length)];
                return f.udp(ts, s, sport, target, port, null, 0, 20 + r.nextInt(60), 0, 1, 0, null);
            }
            int port = r.nextInt(4) == 0 ? 1 + r.nextInt(65_535) : SCANNED_PORTS[r.nextInt(SCANNED_PORTS.length)];
            int syn = r.nextBoolean() ? 40 : 44;
            if (publiclyOpen(target, port)) {
                return f.tcpProbeOpen(ts, s, sport, target, port, syn, Sampling.logUniform(r, 0.0001, 0.002), null);
            }
            if (target.role() == Role.GATEWAY && r.nextInt(5) > 0)
                return f.tcpNoAnswer(ts, s, sport, target, port, 1, syn, null);
            return f.tcpRejected(ts, s, sport, target, port, syn, Sampling.logUniform(r, 0.0001, 0.002), null);
        };
    }

    private static boolean publiclyOpen(Host h, int port) {
        return switch (h.role()) {
            case WEB_SERVER -> port == 80 || port == 443;
            case MAIL_SERVER -> port == 25 || port == 587 || port == 993;
            default -> false;
        };
    }
}
