package io.gnnnids.core.replay;

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

    private void episode(AttackFamily family, long n) {
        if (n <= 0) return;
        String label = family.label;
        switch (family) {
            case HORIZONTAL_SCAN -> horizontalScan(n, label);
            case VERTICAL_SCAN -> verticalScan(n, label);
            case DDOS -> ddos(n, label);
            case BRUTEFORCE_SSH -> bruteForceSsh(n, label);
            case BRUTEFORCE_TELNET -> bruteForceTelnet(n, label);
            case BRUTEFORCE_HTTP -> bruteForceHttp(n, label);
            case CNC -> commandAndControl(n, label);
            case CNC_HEARTBEAT -> heartbeat(n, label);
            case FILE_DOWNLOAD -> fileDownload(n, label);
            case EXFILTRATION -> exfiltration(n, label);
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

    private void horizontalScan(long n, String label) {
        boolean inbound = net.bots().isEmpty() || rng.nextInt(10) < 3;
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : compromised(true);
        int port = inbound ? Sampling.any(box(INBOUND_SCAN_PORTS), rng) : Sampling.any(box(BOT_SCAN_PORTS), rng);
        int synBytes = rng.nextBoolean() ? 40 : 44;
        double localShare = inbound ? 1.0 : 0.1 + 0.3 * rng.nextDouble();
        burst(n, Sampling.logUniform(rng, 2.0, 60.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int addr = r.nextDouble() < localShare ? net.randomLocalAddress(r) : Addresses.randomPublic(r);
            if (addr == src.addr()) addr ^= 1;
            return probe(f, ts, src, scannerPort(r), net.hostAt(addr), port, synBytes, label);
        });
    }

    private void verticalScan(long n, String label) {
        boolean inbound = net.compromisedHosts().isEmpty() || rng.nextBoolean();
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : compromised(rng.nextBoolean());
        List<Host> targets = rng.nextBoolean() ? net.servers() : net.internalHosts();
        Host target = Sampling.any(targets, rng);
        if (target.equals(src)) target = net.servers().get(0);
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
            case EXTERNAL -> port == 80 || port == 443;
            default -> port == 23 && net.telnetOpen(h);
        };
    }

    private void ddos(long n, String label) {
        boolean inbound = net.bots().isEmpty() || rng.nextInt(5) == 0;
        List<Host> sources = new ArrayList<>();
        if (inbound) {
            for (Host h : net.externalAttackers) sources.add(h);
        } else {
            List<Host> bots = net.bots();
            int k = 1 + rng.nextInt(bots.size());
            sources.addAll(bots.subList(0, k));
        }
        Host victim = inbound ? net.byRole(Role.WEB_SERVER).get(0) : Host.external(Addresses.randomPublic(rng));
        boolean udp = rng.nextInt(10) < 4;
        int port = udp ? (rng.nextBoolean() ? 53 : 1024 + rng.nextInt(60_000)) : (rng.nextBoolean() ? 80 : 443);
        boolean randomPorts = udp && rng.nextBoolean();
        int payload = 512 + rng.nextInt(900);
        double duration = Sampling.logUniform(rng, 30.0, 900.0);
        burst(n, n / duration, false, (ts, f) -> {
            SplittableRandom r = f.rng();
            Host src = sources.get(r.nextInt(sources.size()));
            if (udp) {
                int pkts = 1 + r.nextInt(6);
                int dport = randomPorts ? 1 + r.nextInt(65_535) : port;
                return f.udp(ts, src, scannerPort(r), victim, dport, null, pkts * 0.0004 * r.nextDouble(),
                        (long) pkts * payload, 0, pkts, 0, label);
            }
            return f.tcpNoAnswer(ts, src, scannerPort(r), victim, port, r.nextInt(8) == 0 ? 2 : 1, 40, label);
        });
    }

    private void bruteForceSsh(long n, String label) {
        boolean inbound = net.compromisedHosts().isEmpty() || rng.nextInt(10) < 6;
        Host src = inbound ? Sampling.any(net.externalAttackers, rng) : compromised(false);
        Host target = Sampling.any(net.servers(), rng);
        burst(n, Sampling.logUniform(rng, 0.3, 6.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            int u = r.nextInt(100);
            if (u < 4) return f.tcpRejected(ts, src, sport, target, 22, 60, Sampling.logUniform(r, 0.0002, 0.05), label);
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
        for (int i = 0; i < k && !net.iotDevices().isEmpty(); i++) {
            Host t = Sampling.any(net.iotDevices(), rng);
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
        Host target = !inbound && !cams.isEmpty() ? Sampling.any(cams, rng) : Sampling.any(net.byRole(Role.WEB_SERVER), rng);
        int port = rng.nextInt(4) == 0 ? 8080 : 80;
        long loginPage = 180 + rng.nextInt(500);
        long form = 350 + rng.nextInt(300);
        burst(n, Sampling.logUniform(rng, 1.0, 20.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            double d = Sampling.logUniform(r, 0.004, 0.4);
            long ob = form + r.nextInt(40);
            long rb = loginPage + r.nextInt(30);
            if (r.nextInt(20) == 0) return f.tcp(ts, src, sport, target, port, "http", "RSTO", "ShADadR", d, ob, rb, label);
            return f.tcp(ts, src, sport, target, port, "http", "SF", "ShADadFf", d, ob, rb, label);
        });
    }

    private void commandAndControl(long n, String label) {
        Host src = compromised(rng.nextBoolean());
        Host c2 = Sampling.any(net.c2Servers, rng);
        int port = net.c2Port;
        String service = port == 443 || port == 8443 ? "ssl" : port == 80 || port == 8080 ? "http" : null;
        long overhead = "ssl".equals(service) ? 600 : 0;
        double down = rng.nextInt(4) == 0 ? 0.6 + 0.4 * rng.nextDouble() : 0.02;
        periodic(n, Sampling.logUniform(rng, 20.0, 600.0), 0.05 + 0.25 * rng.nextDouble(), (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            if (r.nextDouble() < down) return f.tcpNoAnswer(ts, src, sport, c2, port, 3, 60, label);
            long ob = overhead + 30 + r.nextInt(300);
            long rb = overhead + 30 + (r.nextInt(30) == 0 ? Sampling.logUniform(r, 1_000, 40_000) : r.nextInt(400));
            return f.tcp(ts, src, sport, c2, port, service, "SF", "ShADadFf", Sampling.logUniform(r, 0.05, 3.0), ob, rb, label);
        });
    }

    private void heartbeat(long n, String label) {
        Host src = compromised(rng.nextBoolean());
        Host c2 = Sampling.any(net.c2Servers, rng);
        int port = net.heartbeatPort;
        boolean udp = net.heartbeatUdp;
        int size = 1 + rng.nextInt(24);
        periodic(n, Sampling.logUniform(rng, 5.0, 120.0), 0.005 + 0.04 * rng.nextDouble(), (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            double rtt = Sampling.logUniform(r, 0.02, 0.4);
            if (udp) return f.udp(ts, src, sport, c2, port, null, rtt, size, size + r.nextInt(4), 1, 1, label);
            return f.tcp(ts, src, sport, c2, port, null, "SF", "ShADadFf", rtt, size, 1 + r.nextInt(size), label);
        });
    }

    private void fileDownload(long n, String label) {
        Host src = compromised(rng.nextBoolean());
        Host server = Sampling.any(net.payloadServers, rng);
        int port = net.payloadPort;
        long[] binaries = new long[1 + rng.nextInt(6)];
        for (int i = 0; i < binaries.length; i++) binaries[i] = Sampling.logUniform(rng, 30_000, 4_000_000);
        double speed = Sampling.logUniform(rng, 50_000.0, 3_000_000.0);
        burst(n, 1 / Sampling.logUniform(rng, 2.0, 300.0), false, (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(src);
            long ob = 90 + r.nextInt(160);
            if (r.nextInt(10) == 0) {
                return f.tcp(ts, src, sport, server, port, "http", "SF", "ShADadFf", Sampling.logUniform(r, 0.05, 0.8), ob, 150 + r.nextInt(300), label);
            }
            long rb = binaries[r.nextInt(binaries.length)];
            return f.tcp(ts, src, sport, server, port, "http", "SF", "ShADadFf", rb / speed * (0.8 + 0.4 * r.nextDouble()), ob, rb, label);
        });
    }

    private void exfiltration(long n, String label) {
        Host src = compromised(false);
        Host drop = Sampling.any(net.dropServers, rng);
        int port = net.exfilPort;
        String service = port == 22 ? "ssh" : "ssl";
        double speed = Sampling.logUniform(rng, 500_000.0, 10_000_000.0);
        burst(n, 1 / Sampling.logUniform(rng, 5.0, 120.0), rng.nextInt(10) < 7, (ts, f) -> {
            SplittableRandom r = f.rng();
            long ob = Sampling.logUniform(r, 500_000, 40_000_000);
            return f.tcp(ts, src, f.sourcePort(src), drop, port, service, "SF", "ShADadFf",
                    ob / speed * (0.8 + 0.4 * r.nextDouble()), ob, 2_000 + r.nextInt(30_000), label);
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
