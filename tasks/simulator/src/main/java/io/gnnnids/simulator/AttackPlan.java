package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Splits the attack budget over the families and each family into episodes (who attacks whom, when, how
 * fast), then turns every episode into a {@link FlowStream}. Attackers are told apart from benign hosts only by
 * what they do: their ports are ones benign traffic uses too, and compromised hosts keep their benign traffic.
 */
final class AttackPlan {

    private static final int[] BOT_SCAN_PORTS = {23, 2323, 80, 8080, 37215, 52869, 5555, 7547, 81, 22};
    private static final int[] INBOUND_SCAN_PORTS = {22, 23, 445, 3389, 80, 5900, 1433, 6379, 8080};

    private final NetworkModel net;
    private final SplittableRandom rng;
    private final double start;
    private final double end;
    private final List<FlowStream> streams = new ArrayList<>();
    private final Map<AttackFamily, Integer> episodesSoFar = new EnumMap<>(AttackFamily.class);

    private AttackPlan(NetworkModel net, SplittableRandom rng, double start, double end) {
        this.net = net;
        this.rng = rng;
        this.start = start;
        this.end = end;
    }

    /** Streams emitting exactly {@code attackFlows} labelled attack flows between start and end. */
    static List<FlowStream> build(NetworkModel net, SplittableRandom rng, double start, double end, long attackFlows) {
        AttackPlan plan = new AttackPlan(net, rng, start, end);
        for (Map.Entry<AttackFamily, Long> e : plan.budget(attackFlows).entrySet()) {
            for (long n : plan.episodes(e.getKey(), e.getValue())) {
                plan.episode(e.getKey(), n);
            }
        }
        return plan.streams;
    }

    /** Flows per family: each family's minimum first (when the budget allows), the rest by varied weights. */
    private Map<AttackFamily, Long> budget(long total) {
        AttackFamily[] families = AttackFamily.values();
        double[] weights = new double[families.length];
        long minimums = 0;
        for (int i = 0; i < families.length; i++) {
            weights[i] = families[i].weight * (0.6 + 0.8 * rng.nextDouble());
            minimums += families[i].minFlows;
        }
        boolean floors = total >= 2 * minimums;
        long rest = floors ? total - minimums : total;
        long[] counts = Apportion.byWeights(rest, weights);
        Map<AttackFamily, Long> out = new EnumMap<>(AttackFamily.class);
        for (int i = 0; i < families.length; i++) {
            long n = counts[i] + (floors ? families[i].minFlows : 0);
            if (n > 0) out.put(families[i], n);
        }
        return out;
    }

    /** One to a few episodes per family, more for big budgets, each large enough to show the behaviour. */
    private long[] episodes(AttackFamily family, long n) {
        long maxEpisodes = Math.max(1, n / (2L * family.minFlows));
        long wanted = 1 + rng.nextInt(3) + n / 20_000;
        int k = (int) Math.min(maxEpisodes, wanted);
        double[] weights = new double[k];
        for (int i = 0; i < k; i++) weights[i] = 0.5 + rng.nextDouble();
        return Apportion.byWeights(n, weights);
    }

    /**
     * One episode. The first episodes of the scanning, flooding, C&C and download families are the campaign of the
     * network's first infected device, so every network with attacks has a device that scans telnet outward,
     * floods out (with an ACK flood among its vectors), retries its C&C server on an unusual port and downloads
     * its payload, while it keeps its own benign traffic.
     */
    private void episode(AttackFamily family, long n) {
        if (n <= 0) return;
        String label = family.label;
        int index = episodesSoFar.merge(family, 1, Integer::sum) - 1;
        switch (family) {
            case HORIZONTAL_SCAN -> horizontalScan(n, label, index);
            case VERTICAL_SCAN -> verticalScan(n, label);
            case DDOS -> ddos(n, label, index);
            case BRUTEFORCE_SSH -> bruteForceSsh(n, label);
            case BRUTEFORCE_TELNET -> bruteForceTelnet(n, label);
            case BRUTEFORCE_HTTP -> bruteForceHttp(n, label);
            case CNC -> {
                if (index == 0 || rng.nextInt(3) == 0) commandAndControlRetries(n, label, index);
                else commandAndControl(n, label);
            }
            case CNC_HEARTBEAT -> heartbeat(n, label);
            case FILE_DOWNLOAD -> fileDownload(n, label, index);
            case EXFILTRATION -> exfiltration(n, label);
            case CNC_TORII -> torii(n, label);
            case ATTACK -> attackOut(n, label);
        }
    }

    // ---- episode timing ----

    private double span() {
        return end - start;
    }

    /** A start time leaving room for the episode; at night (local time) when asked. */
    private double startFor(double duration, boolean night) {
        double d = Math.min(duration, span() * 0.95);
        if (night) {
            long days = Math.max(1, Math.round(span() / 86_400));
            double day = start + 86_400.0 * rng.nextInt((int) days);
            double t = day + ((rng.nextDouble() * 5 - net.utcOffsetHours + 48) % 24) * 3600;
            if (t >= start && t + d <= end) return t;
        }
        return start + rng.nextDouble() * (span() - d);
    }

    private void burst(long n, double rate, boolean night, FlowStream.Maker maker) {
        double duration = n / rate;
        if (duration > span() * 0.9) {
            rate = n / (span() * 0.9);
            duration = n / rate;
        }
        streams.add(FlowStream.poisson(startFor(duration, night), n, 1 / rate, end, maker));
    }

    private void periodic(long n, double period, double jitter, FlowStream.Maker maker) {
        if (n * period > span() * 0.9) period = span() * 0.9 / n;
        streams.add(FlowStream.periodic(startFor(n * period, false), n, period, jitter, end, maker));
    }

    private Host compromised(boolean preferBots) {
        List<Host> first = preferBots ? net.bots() : net.infectedClients();
        List<Host> second = preferBots ? net.infectedClients() : net.bots();
        return Sampling.any(first.isEmpty() ? second : first, rng);
    }

    // ---- families ----

    /**
     * A sweep of one port over many addresses. The first is the first infected device scanning random public
     * addresses for telnet (23, some 2323) as Mirai does, the second an outside scanner sweeping the local
     * subnets, later ones either.
     */
    private void horizontalScan(long n, String label, int index) {
        boolean botFirst = index == 0 && !net.bots().isEmpty();
        boolean inbound = !botFirst && (net.bots().isEmpty() || index == 1 || rng.nextInt(10) < 3);
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : botFirst ? net.primaryBot() : compromised(true);
        int port = botFirst
                ? 23
                : inbound ? Sampling.any(box(INBOUND_SCAN_PORTS), rng) : Sampling.any(box(BOT_SCAN_PORTS), rng);
        double alternate = botFirst ? 0.1 : 0;
        int synBytes = rng.nextBoolean() ? 40 : 44;
        double localShare = inbound ? 1.0 : botFirst ? 0.1 * rng.nextDouble() : 0.1 + 0.3 * rng.nextDouble();
        burst(n, Sampling.logUniform(rng, 2.0, 60.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int addr = r.nextDouble() < localShare ? net.randomLocalAddress(r) : Addresses.randomPublic(r);
            if (addr == src.addr()) addr ^= 1;
            int p = r.nextDouble() < alternate ? 2323 : port;
            return probe(f, ts, src, scannerPort(r), net.hostAt(addr), p, synBytes, label);
        });
    }

    private void verticalScan(long n, String label) {
        boolean inbound = net.compromisedHosts().isEmpty() || rng.nextBoolean();
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : compromised(rng.nextBoolean());
        List<Host> targets = rng.nextBoolean() && !net.servers().isEmpty() ? net.servers() : net.internalHosts();
        Host target = Sampling.any(targets, rng);
        if (target.equals(src))
            target = net.servers().isEmpty() ? net.gateway() : net.servers().get(0);
        Host victim = target;
        int synBytes = rng.nextBoolean() ? 40 : 44;
        int stride = coprimeStride();
        int offset = rng.nextInt(65_535);
        int sport = scannerPort(rng);
        boolean fixedSourcePort = rng.nextBoolean();
        long[] k = {0};
        burst(Math.min(n, 65_535), Sampling.logUniform(rng, 5.0, 300.0), false, (ts, f) -> {
            int port = (int) ((offset + k[0]++ * stride) % 65_535) + 1;
            int op = fixedSourcePort ? sport : scannerPort(f.rng());
            return probe(f, ts, src, op, victim, port, synBytes, label);
        });
        if (n > 65_535) verticalScan(n - 65_535, label);
    }

    /** A SYN probe: answered by SYN-ACK on an open port, RST on a closed one, nothing from dead or filtered ones. */
    private Flow probe(FlowFactory f, double ts, Host src, int sport, Host dst, int port, int synBytes, String label) {
        SplittableRandom r = f.rng();
        double rtt = dst.local() ? Sampling.logUniform(r, 0.0001, 0.003) : Sampling.logUniform(r, 0.01, 0.3);
        boolean exists = dst.role() != Role.EXTERNAL || (!dst.local() && r.nextInt(6) == 0);
        if (!exists) return f.tcpNoAnswer(ts, src, sport, dst, port, r.nextInt(4) == 0 ? 2 : 1, synBytes, label);
        if (open(dst, port)) return f.tcpProbeOpen(ts, src, sport, dst, port, synBytes, rtt, label);
        if (dst.local() && r.nextInt(10) == 0) return f.tcpNoAnswer(ts, src, sport, dst, port, 1, synBytes, label);
        return f.tcpRejected(ts, src, sport, dst, port, synBytes, rtt, label);
    }

    private boolean open(Host h, int port) {
        if (h.local() && net.observed()) return net.offers(h, port);
        return switch (h.role()) {
            case WEB_SERVER -> port == 80 || port == 443 || port == 8080 || port == 22;
            case DNS_SERVER -> port == 53 || port == 22;
            case FILE_SERVER -> port == 445 || port == 139 || port == 2049 || port == 22;
            case MAIL_SERVER -> port == 25 || port == 587 || port == 993 || port == 22;
            case DB_SERVER -> port == 5432 || port == 22;
            case MONITORING_SERVER -> port == 22 || port == 443;
            case WORKSTATION, LAPTOP -> port == 135 || port == 139 || port == 445;
            case CAMERA -> port == 80 || port == 554 || (port == 23 && net.telnetOpen(h));
            case PRINTER -> port == 80 || port == 631 || port == 9100;
            case GATEWAY -> port == 53 || port == 80 || port == 443;
            // A few public hosts answer on telnet and ssh: other devices waiting to be infected.
            case EXTERNAL ->
                port == 80
                        || port == 443
                        || ((port == 23 || port == 2323 || port == 22) && Math.floorMod(h.addr() * 0x9E3779B1, 5) == 0);
            default -> port == 23 && net.telnetOpen(h);
        };
    }

    private enum Flood {
        SYN,
        ACK,
        UDP,
        HTTP
    }

    /**
     * A flood against one victim: SYN (S0), ACK or ACK+PSH with junk (OTH: Zeek saw no handshake; the victim may
     * answer RST), UDP, or HTTP GETs (short SF connections to tcp/80), with random source ports but for HTTP. The
     * first is launched by the infected devices at an outside target with several vectors, an ACK flood among them;
     * later ones come from bots or from outside against the network's public host.
     */
    private void ddos(long n, String label, int index) {
        boolean inbound = net.bots().isEmpty() || (index > 0 && rng.nextInt(5) == 0);
        List<Host> sources = new ArrayList<>();
        if (inbound) {
            for (Host h : net.externalAttackers) sources.add(h);
        } else {
            List<Host> bots = net.bots();
            int k = 1 + rng.nextInt(bots.size());
            sources.addAll(bots.subList(0, k));
        }
        Host victim = inbound ? publicHost() : Host.external(Addresses.randomPublic(rng));
        List<Flood> vectors = new ArrayList<>();
        if (index == 0 && !inbound) {
            vectors.add(Flood.ACK);
            List<Flood> others = new ArrayList<>(List.of(Flood.SYN, Flood.UDP, Flood.HTTP));
            int k = 1 + rng.nextInt(2);
            for (int i = 0; i < k; i++) vectors.add(others.remove(rng.nextInt(others.size())));
        } else {
            // The historical mix: floods of SYNs and of datagrams most often.
            int u = rng.nextInt(20);
            vectors.add(u < 8 ? Flood.SYN : u < 15 ? Flood.UDP : u < 18 ? Flood.ACK : Flood.HTTP);
        }
        double[] weights = new double[vectors.size()];
        for (int i = 0; i < weights.length; i++) weights[i] = 0.5 + rng.nextDouble();
        long[] counts = Apportion.byWeights(n, weights);
        for (int i = 0; i < vectors.size(); i++) {
            if (counts[i] > 0) flood(vectors.get(i), counts[i], sources, victim, label);
        }
    }

    private void flood(Flood vector, long n, List<Host> sources, Host victim, String label) {
        boolean tls = rng.nextBoolean();
        int port = switch (vector) {
            case UDP -> rng.nextBoolean() ? 53 : 1024 + rng.nextInt(60_000);
            case HTTP -> 80;
            default -> tls ? 443 : 80;
        };
        boolean randomPorts = vector == Flood.UDP ? rng.nextBoolean() : vector == Flood.ACK && rng.nextInt(3) == 0;
        int payload = vector == Flood.ACK ? (rng.nextBoolean() ? 0 : 512 + rng.nextInt(900)) : 512 + rng.nextInt(900);
        double resets = vector == Flood.ACK ? 0.4 * rng.nextDouble() : 0;
        int synBytes = rng.nextBoolean() ? 40 : 60;
        long get = 60 + rng.nextInt(200);
        long page = Sampling.logUniform(rng, 150, 20_000);
        double duration = Sampling.logUniform(rng, 30.0, 900.0);
        burst(n, n / duration, false, (ts, f) -> {
            SplittableRandom r = f.rng();
            Host src = sources.get(r.nextInt(sources.size()));
            int dport = randomPorts ? 1 + r.nextInt(65_535) : port;
            switch (vector) {
                case UDP -> {
                    int pkts = 1 + r.nextInt(6);
                    return f.udp(
                            ts,
                            src,
                            scannerPort(r),
                            victim,
                            dport,
                            null,
                            pkts * 0.0004 * r.nextDouble(),
                            (long) pkts * payload,
                            0,
                            pkts,
                            0,
                            label);
                }
                case ACK -> {
                    int pkts = r.nextInt(5) == 0 ? 2 + r.nextInt(3) : 1;
                    boolean reset = r.nextDouble() < resets;
                    String history = (payload > 0 ? "D" : "A") + (reset ? "r" : "");
                    return f.tcpCounted(
                            ts,
                            src,
                            scannerPort(r),
                            victim,
                            dport,
                            null,
                            "OTH",
                            history,
                            pkts,
                            (long) pkts * payload,
                            reset ? 1 : 0,
                            0,
                            Sampling.logUniform(r, 0.00001, 0.05),
                            label);
                }
                case HTTP -> {
                    int sport = f.sourcePort(src);
                    double d = Sampling.logUniform(r, 0.02, 0.8);
                    int u = r.nextInt(10);
                    if (u == 0) return f.tcpNoAnswer(ts, src, sport, victim, 80, 1 + r.nextInt(3), 60, label);
                    long ob = get + r.nextInt(40);
                    long rb = page + r.nextInt(100);
                    if (u < 3) return f.tcp(ts, src, sport, victim, 80, "http", "RSTO", "ShADadR", d, ob, rb, label);
                    return f.tcp(ts, src, sport, victim, 80, "http", "SF", "ShADadFf", d, ob, rb, label);
                }
                default -> {
                    return f.tcpNoAnswer(
                            ts, src, scannerPort(r), victim, dport, r.nextInt(8) == 0 ? 2 : 1, synBytes, label);
                }
            }
        });
    }

    /** The network's host facing the internet: its web server, or the gateway of a home. */
    private Host publicHost() {
        List<Host> serving = net.offering(80, 443, 8080, 8443);
        if (!serving.isEmpty()) return serving.get(0);
        List<Host> web = net.byRole(Role.WEB_SERVER);
        return web.isEmpty() ? net.gateway() : web.get(0);
    }

    private void bruteForceSsh(long n, String label) {
        boolean inbound = net.compromisedHosts().isEmpty() || rng.nextInt(10) < 6;
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : compromised(false);
        List<Host> sshd = net.offering(22);
        Host target = !sshd.isEmpty()
                ? Sampling.any(sshd, rng)
                : net.servers().isEmpty() ? net.gateway() : Sampling.any(net.servers(), rng);
        burst(n, Sampling.logUniform(rng, 0.3, 6.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            int u = r.nextInt(100);
            if (u < 4)
                return f.tcpRejected(ts, src, sport, target, 22, 60, Sampling.logUniform(r, 0.0002, 0.05), label);
            long ob = 1_100 + r.nextInt(1_400);
            long rb = 1_500 + r.nextInt(1_800);
            double d = 0.8 + 5 * r.nextDouble();
            if (u < 20) return f.tcp(ts, src, sport, target, 22, "ssh", "RSTO", "ShAdDaR", d, ob, rb, label);
            return f.tcp(ts, src, sport, target, 22, "ssh", "SF", "ShAdDaFf", d, ob, rb, label);
        });
    }

    private void bruteForceTelnet(long n, String label) {
        boolean inbound = net.bots().isEmpty() || rng.nextInt(4) == 0;
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : compromised(true);
        List<Host> targets = new ArrayList<>();
        int k = 1 + rng.nextInt(8);
        List<Host> telnetd = net.offering(23, 2323);
        List<Host> pool = telnetd.isEmpty() ? net.iotDevices() : telnetd;
        for (int i = 0; i < k && !pool.isEmpty(); i++) {
            Host t = Sampling.any(pool, rng);
            if (!t.equals(src)) targets.add(t);
        }
        if (!inbound || targets.isEmpty()) {
            for (int i = 0; i < k; i++) targets.add(Host.external(Addresses.randomPublic(rng)));
        }
        burst(n, Sampling.logUniform(rng, 0.5, 8.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            Host t = targets.get(r.nextInt(targets.size()));
            int sport = scannerPort(r);
            boolean listening = t.local() ? net.telnetOpen(t) : t.addr() % 3 != 0;
            if (!listening) return f.tcpRejected(ts, src, sport, t, 23, 44, Sampling.logUniform(r, 0.0002, 0.2), label);
            long ob = 20 + r.nextInt(130);
            long rb = 40 + r.nextInt(260);
            double d = 0.3 + 6 * r.nextDouble();
            if (r.nextInt(10) == 0) return f.tcp(ts, src, sport, t, 23, null, "RSTR", "ShADadr", d, ob, rb, label);
            return f.tcp(ts, src, sport, t, 23, null, "SF", "ShADadFf", d, ob, rb, label);
        });
    }

    private void bruteForceHttp(long n, String label) {
        boolean inbound = net.infectedClients().isEmpty() || rng.nextInt(10) < 7;
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : compromised(false);
        List<Host> cams = net.byRole(Role.CAMERA);
        Host picked = !inbound && !cams.isEmpty() ? Sampling.any(cams, rng) : publicHost();
        Host target = picked.equals(src) ? net.gateway() : picked;
        int drawn = rng.nextInt(4) == 0 ? 8080 : 80;
        // On an observed network, the port the target really serves its pages on.
        int port = !net.observed()
                ? drawn
                : net.offers(target, drawn)
                        ? drawn
                        : net.offers(target, 80)
                                ? 80
                                : net.offers(target, 8080) ? 8080 : net.offers(target, 443) ? 443 : drawn;
        String service = port == 443 ? "ssl" : "http";
        long overhead = port == 443 ? 3_000 : 0;
        long loginPage = 180 + rng.nextInt(500);
        long form = 350 + rng.nextInt(300);
        burst(n, Sampling.logUniform(rng, 1.0, 20.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            double d = Sampling.logUniform(r, 0.004, 0.4);
            long ob = form + r.nextInt(40) + overhead / 6;
            long rb = loginPage + r.nextInt(30) + overhead;
            if (r.nextInt(20) == 0)
                return f.tcp(ts, src, sport, target, port, service, "RSTO", "ShADadR", d, ob, rb, label);
            return f.tcp(ts, src, sport, target, port, service, "SF", "ShADadFf", d, ob, rb, label);
        });
    }

    private void commandAndControl(long n, String label) {
        Host src = compromised(rng.nextBoolean());
        Host c2 = Sampling.any(net.c2Servers, rng);
        int port = net.attackPorts.c2();
        String service = port == 443 || port == 8443 ? "ssl" : port == 80 || port == 8080 ? "http" : null;
        long overhead = "ssl".equals(service) ? 600 : 0;
        double down = rng.nextInt(4) == 0 ? 0.6 + 0.4 * rng.nextDouble() : 0.02;
        periodic(n, Sampling.logUniform(rng, 20.0, 600.0), 0.05 + 0.25 * rng.nextDouble(), (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            if (r.nextDouble() < down) return f.tcpNoAnswer(ts, src, sport, c2, port, 3, 60, label);
            long ob = overhead + 30 + r.nextInt(300);
            long rb = overhead + 30 + (r.nextInt(30) == 0 ? Sampling.logUniform(r, 1_000, 40_000) : r.nextInt(400));
            return f.tcp(
                    ts,
                    src,
                    sport,
                    c2,
                    port,
                    service,
                    "SF",
                    "ShADadFf",
                    Sampling.logUniform(r, 0.05, 3.0),
                    ob,
                    rb,
                    label);
        });
    }

    private void heartbeat(long n, String label) {
        Host src = compromised(rng.nextBoolean());
        Host c2 = Sampling.any(net.c2Servers, rng);
        int port = net.attackPorts.heartbeat();
        boolean udp = net.attackPorts.heartbeatUdp();
        int size = 1 + rng.nextInt(24);
        periodic(n, Sampling.logUniform(rng, 5.0, 120.0), 0.005 + 0.04 * rng.nextDouble(), (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            double rtt = Sampling.logUniform(r, 0.02, 0.4);
            if (udp) return f.udp(ts, src, sport, c2, port, null, rtt, size, size + r.nextInt(4), 1, 1, label);
            return f.tcp(ts, src, sport, c2, port, null, "SF", "ShADadFf", rtt, size, 1 + r.nextInt(size), label);
        });
    }

    private void fileDownload(long n, String label, int index) {
        Host src = index == 0 && !net.bots().isEmpty() ? net.primaryBot() : compromised(rng.nextBoolean());
        Host server = Sampling.any(net.payloadServers, rng);
        int port = net.attackPorts.payload();
        long[] binaries = new long[1 + rng.nextInt(6)];
        for (int i = 0; i < binaries.length; i++) binaries[i] = Sampling.logUniform(rng, 30_000, 4_000_000);
        double speed = Sampling.logUniform(rng, 50_000.0, 3_000_000.0);
        burst(n, 1 / Sampling.logUniform(rng, 2.0, 300.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            long ob = 90 + r.nextInt(160);
            if (r.nextInt(10) == 0) {
                return f.tcp(
                        ts,
                        src,
                        sport,
                        server,
                        port,
                        "http",
                        "SF",
                        "ShADadFf",
                        Sampling.logUniform(r, 0.05, 0.8),
                        ob,
                        150 + r.nextInt(300),
                        label);
            }
            long rb = binaries[r.nextInt(binaries.length)];
            return f.tcp(
                    ts,
                    src,
                    sport,
                    server,
                    port,
                    "http",
                    "SF",
                    "ShADadFf",
                    rb / speed * (0.8 + 0.4 * r.nextDouble()),
                    ob,
                    rb,
                    label);
        });
    }

    private void exfiltration(long n, String label) {
        Host src = compromised(false);
        Host drop = Sampling.any(net.dropServers, rng);
        int port = net.attackPorts.exfil();
        String service = port == 22 ? "ssh" : "ssl";
        double speed = Sampling.logUniform(rng, 500_000.0, 10_000_000.0);
        burst(n, 1 / Sampling.logUniform(rng, 5.0, 120.0), rng.nextInt(10) < 7, (ts, f) -> {
            SplittableRandom r = f.rng();
            long ob = Sampling.logUniform(r, 500_000, 40_000_000);
            return f.tcp(
                    ts,
                    src,
                    f.sourcePort(src),
                    drop,
                    port,
                    service,
                    "SF",
                    "ShADadFf",
                    ob / speed * (0.8 + 0.4 * r.nextDouble()),
                    ob,
                    2_000 + r.nextInt(30_000),
                    label);
        });
    }

    /**
     * A bot that cannot reach its C&C server keeps trying: a connection to one outside host on an unusual port
     * every few seconds to minutes, mostly unanswered (S0, with the SYN retransmitted), refused (REJ), reset after
     * the handshake (RSTR), closed by the server alone (S3) or abandoned half open (SH), now and then a short
     * answered exchange.
     */
    private void commandAndControlRetries(long n, String label, int index) {
        Host src = index == 0 && !net.bots().isEmpty() ? net.primaryBot() : compromised(true);
        Host c2 = Sampling.any(net.c2Servers, rng);
        int port = net.c2RetryPort;
        double answered = 0.02 + 0.1 * rng.nextDouble();
        double refused = 0.05 + 0.2 * rng.nextDouble();
        int syns = 1 + rng.nextInt(3);
        periodic(n, Sampling.logUniform(rng, 3.0, 300.0), 0.05 + 0.3 * rng.nextDouble(), (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            double rtt = Sampling.logUniform(r, 0.02, 0.4);
            double u = r.nextDouble();
            if (u < answered) {
                return f.tcp(
                        ts,
                        src,
                        sport,
                        c2,
                        port,
                        null,
                        "SF",
                        "ShADadFf",
                        Sampling.logUniform(r, 0.1, 5.0),
                        20 + r.nextInt(200),
                        20 + r.nextInt(600),
                        label);
            }
            u = (u - answered) / (1 - answered);
            if (u < refused) return f.tcpRejected(ts, src, sport, c2, port, 60, rtt, label);
            if (u < refused + 0.08) return f.tcp(ts, src, sport, c2, port, null, "RSTR", "ShAr", rtt * 2, 0, 0, label);
            if (u < refused + 0.12)
                return f.tcp(ts, src, sport, c2, port, null, "S3", "ShAdf", rtt * 3, 0, 10 + r.nextInt(60), label);
            if (u < refused + 0.16)
                return f.tcpCounted(ts, src, sport, c2, port, null, "SH", "SF", 2, 0, 0, 0, rtt, label);
            return f.tcpNoAnswer(ts, src, sport, c2, port, r.nextInt(4) == 0 ? 1 + r.nextInt(3) : syns, 60, label);
        });
    }

    /** Torii-like C&C: sessions of about a dozen small answered connections to one host on an unusual port. */
    private void torii(long n, String label) {
        Host src = compromised(true);
        Host c2 = net.c2Servers[net.c2Servers.length - 1];
        int port = net.toriiPort;
        long sessions = Math.max(1, n / (8 + rng.nextInt(9)));
        double[] weights = new double[(int) Math.min(sessions, 10_000)];
        for (int i = 0; i < weights.length; i++) weights[i] = 0.5 + rng.nextDouble();
        long[] sizes = Apportion.byWeights(n, weights);
        for (long size : sizes) {
            if (size == 0) continue;
            double gap = Sampling.logUniform(rng, 1.0, 30.0);
            streams.add(FlowStream.poisson(startFor(size * gap, false), size, gap, end, (ts, f) -> {
                SplittableRandom r = f.rng();
                int sport = f.sourcePort(src);
                double d = Sampling.logUniform(r, 0.05, 3.0);
                long ob = 40 + r.nextInt(700);
                long rb = 40 + Sampling.logUniform(r, 10, 1_500);
                if (r.nextInt(10) == 0)
                    return f.tcp(ts, src, sport, c2, port, null, "RSTR", "ShADadr", d, ob, rb, label);
                return f.tcp(ts, src, sport, c2, port, null, "SF", "ShADadFf", d, ob, rb, label);
            }));
        }
    }

    /**
     * An infected device attacking outward once it found victims: telnet and ssh logins and exploit requests to
     * web ports of IoT devices (Huawei 37215, Realtek 52869, TR-064 7547, 80, 8080) of a few dozen public hosts.
     */
    private void attackOut(long n, String label) {
        Host src = compromised(true);
        List<Host> victims = new ArrayList<>();
        int k = 5 + rng.nextInt(30);
        for (int i = 0; i < k; i++) victims.add(Host.external(Addresses.randomPublic(rng)));
        double telnet = 0.3 + 0.4 * rng.nextDouble();
        double ssh = telnet + 0.1 + 0.3 * rng.nextDouble();
        int[] exploitPorts = {37215, 52869, 7547, 80, 8080};
        burst(n, Sampling.logUniform(rng, 0.5, 10.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            Host v = victims.get(r.nextInt(victims.size()));
            int sport = f.sourcePort(src);
            double rtt = Sampling.logUniform(r, 0.01, 0.3);
            double u = r.nextDouble();
            int fail = r.nextInt(10);
            if (u < telnet) {
                int port = r.nextInt(5) == 0 ? 2323 : 23;
                if (fail == 0) return f.tcpRejected(ts, src, sport, v, port, 60, rtt, label);
                if (fail == 1) return f.tcpNoAnswer(ts, src, sport, v, port, 1 + r.nextInt(3), 60, label);
                long ob = 20 + r.nextInt(130);
                long rb = 40 + r.nextInt(260);
                double d = 0.3 + 6 * r.nextDouble();
                if (fail < 4) return f.tcp(ts, src, sport, v, port, null, "RSTR", "ShADadr", d, ob, rb, label);
                return f.tcp(ts, src, sport, v, port, null, "SF", "ShADadFf", d, ob, rb, label);
            }
            if (u < ssh) {
                if (fail == 0) return f.tcpRejected(ts, src, sport, v, 22, 60, rtt, label);
                if (fail == 1) return f.tcpNoAnswer(ts, src, sport, v, 22, 1 + r.nextInt(3), 60, label);
                long ob = 1_100 + r.nextInt(1_400);
                long rb = 1_500 + r.nextInt(1_800);
                double d = 0.8 + 5 * r.nextDouble();
                if (fail < 4) return f.tcp(ts, src, sport, v, 22, "ssh", "RSTO", "ShAdDaR", d, ob, rb, label);
                return f.tcp(ts, src, sport, v, 22, "ssh", "SF", "ShAdDaFf", d, ob, rb, label);
            }
            int port = exploitPorts[r.nextInt(exploitPorts.length)];
            if (fail < 2) return f.tcpRejected(ts, src, sport, v, port, 60, rtt, label);
            long ob = 300 + r.nextInt(700);
            if (fail < 5) return f.tcp(ts, src, sport, v, port, "http", "RSTR", "ShADar", rtt * 3, ob, 0, label);
            return f.tcp(ts, src, sport, v, port, "http", "SF", "ShADadFf", rtt * 4, ob, 100 + r.nextInt(400), label);
        });
    }

    // ---- helpers ----

    private static int scannerPort(SplittableRandom r) {
        return 1024 + r.nextInt(64_512);
    }

    /** A step through 1..65535 that visits every port once (coprime with 65535 = 3*5*17*257). */
    private int coprimeStride() {
        while (true) {
            int s = 1 + rng.nextInt(65_534);
            if (s % 3 != 0 && s % 5 != 0 && s % 17 != 0 && s % 257 != 0) return s;
        }
    }

    private static Integer[] box(int[] a) {
        Integer[] out = new Integer[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }
}
