package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Benign traffic that follows people's working day: browsing (a DNS lookup then a few web connections),
 * intranet, file shares, mail, updates, administration, inbound visitors, media streaming, local discovery,
 * monitoring, database queries, and the everyday failures (unanswered lookups, refused or reset connections)
 * that keep "failed connection" from meaning "attack".
 */
final class BenignActivity {

    private static final int BROWSE = 0,
            INTRANET = 1,
            FILE_SHARE = 2,
            MAIL = 3,
            UPDATE = 4,
            ADMIN_SSH = 5,
            DNS_UPSTREAM = 6,
            INBOUND_WEB = 7,
            MEDIA = 8,
            DISCOVERY = 9,
            MONITORING = 10,
            DATABASE = 11,
            FAILURE = 12,
            ADMIN_TELNET = 13,
            PRINT = 14,
            KINDS = 15;

    private static final Host MDNS = Host.external(Addresses.of(224, 0, 0, 251));
    private static final Host SSDP = Host.external(Addresses.of(239, 255, 255, 250));
    private static final String[] SF_HISTORIES = {"ShADadFf", "ShADadfF", "ShADdaFf", "ShADadFfR"};

    private final NetworkModel net;
    private final FlowFactory f;
    private final SplittableRandom rng;
    private final double[] mix;
    private final double[] mixCum;
    private final List<Host> browsers;
    private final double[] browserCum;
    private final double[] clientCum;
    private final List<Host> media;
    private final List<Host> discoverers;
    private final List<Host> updaters;
    private final Host resolver;

    BenignActivity(NetworkModel net, FlowFactory factory) {
        this.net = net;
        this.f = factory;
        this.rng = factory.rng();
        this.mix = net.benignMix.clone();
        // Without computers (a home of IoT devices), the devices themselves browse and fetch updates.
        this.browsers = new ArrayList<>(net.clients().isEmpty() ? net.internalHosts() : net.clients());
        this.browserCum = Sampling.cumulativeActivity(browsers);
        this.clientCum = browserCum;
        this.media = new ArrayList<>(net.byRole(Role.SMART_TV));
        media.addAll(net.byRole(Role.SMART_SPEAKER));
        if (media.isEmpty()) mix[MEDIA] = 0;
        if (net.byRole(Role.PRINTER).isEmpty() || net.clients().isEmpty()) mix[PRINT] = 0;
        if (net.iotDevices().isEmpty() || net.admins().isEmpty()) mix[ADMIN_TELNET] = 0;
        // A home has no servers: nothing intranet, no shares, mail, databases, monitoring or visitors.
        if (net.byRole(Role.WEB_SERVER).isEmpty()) mix[INTRANET] = mix[INBOUND_WEB] = 0;
        if (net.byRole(Role.FILE_SERVER).isEmpty()) mix[FILE_SHARE] = 0;
        if (net.byRole(Role.MAIL_SERVER).isEmpty()) mix[MAIL] = 0;
        if (net.byRole(Role.DB_SERVER).isEmpty() || net.byRole(Role.WEB_SERVER).isEmpty()) mix[DATABASE] = 0;
        if (net.byRole(Role.MONITORING_SERVER).isEmpty()) mix[MONITORING] = 0;
        if (net.servers().isEmpty() || net.admins().isEmpty()) mix[ADMIN_SSH] = 0;
        this.mixCum = cumulative(mix);
        this.discoverers = new ArrayList<>(net.clients());
        discoverers.addAll(net.iotDevices());
        this.updaters = new ArrayList<>(net.clients());
        updaters.addAll(net.servers());
        if (updaters.isEmpty()) updaters.addAll(net.internalHosts());
        this.resolver = net.byRole(Role.DNS_SERVER).isEmpty()
                ? net.gateway()
                : net.byRole(Role.DNS_SERVER).get(0);
    }

    private static double[] cumulative(double[] weights) {
        double[] cum = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cum[i] = sum;
        }
        for (int i = 0; i < cum.length; i++) cum[i] /= sum;
        return cum;
    }

    /** The network's mix of activities; which exist and how common they are differs per seed. */
    static double[] drawMix(SplittableRandom rng, boolean hasMonitoring, boolean hasDatabase) {
        double[] base = new double[KINDS];
        base[BROWSE] = 0.40;
        base[INTRANET] = 0.10;
        base[FILE_SHARE] = 0.07;
        base[MAIL] = 0.05;
        base[UPDATE] = 0.02;
        base[ADMIN_SSH] = 0.012;
        base[DNS_UPSTREAM] = 0.07;
        base[INBOUND_WEB] = 0.06;
        base[MEDIA] = 0.05;
        base[DISCOVERY] = 0.03;
        base[MONITORING] = hasMonitoring ? 0.05 : 0;
        base[DATABASE] = hasDatabase ? 0.05 : 0;
        base[FAILURE] = 0.012;
        base[ADMIN_TELNET] = 0.001;
        base[PRINT] = 0.01;
        for (int i = 0; i < KINDS; i++) {
            base[i] *= 0.4 + 1.2 * rng.nextDouble();
        }
        return base;
    }

    /** Appends exactly {@code budget} flows with times in [start, start+length). */
    void fill(double start, double length, int budget, List<Flow> out) {
        int left = budget;
        while (left > 0) {
            double t = start + rng.nextDouble() * length;
            double end = start + length - 1e-6;
            left -= activity(Sampling.pickCumulative(mixCum, rng.nextDouble()), t, end, left, out);
        }
    }

    private int activity(int kind, double t, double end, int max, List<Flow> out) {
        return switch (kind) {
            case BROWSE -> browse(t, end, max, out);
            case INTRANET -> one(out, intranet(t));
            case FILE_SHARE -> one(out, fileShare(t));
            case MAIL -> one(out, mail(t));
            case UPDATE -> one(out, update(t));
            case ADMIN_SSH -> adminSsh(t, end, max, out);
            case DNS_UPSTREAM -> one(out, dns(t, resolver, Sampling.any(net.upstreamDns, rng)));
            case INBOUND_WEB -> one(out, inboundWeb(t));
            case MEDIA -> one(out, media(t));
            case DISCOVERY -> one(out, discovery(t));
            case MONITORING -> one(out, monitoring(t));
            case DATABASE -> one(out, database(t));
            case FAILURE -> one(out, failure(t));
            case ADMIN_TELNET -> one(out, adminTelnet(t));
            default -> one(out, print(t));
        };
    }

    private static int one(List<Flow> out, Flow flow) {
        out.add(flow);
        return 1;
    }

    private Host client() {
        return browsers.get(Sampling.pickCumulative(clientCum, rng.nextDouble()));
    }

    private double sec(double t, double end) {
        return Math.min(FlowStream.micros(t), end);
    }

    /** A name lookup, then one to six web connections to the site it resolved. */
    private int browse(double t, double end, int max, List<Flow> out) {
        Host c = browsers.get(Sampling.pickCumulative(browserCum, rng.nextDouble()));
        out.add(dns(sec(t, end), c, resolver));
        int connections = Math.min(max - 1, 1 + rng.nextInt(6));
        Host site = net.webPeers[Sampling.pickCumulative(net.webPopularity, rng.nextDouble())];
        double at = t + 0.005 + 0.05 * rng.nextDouble();
        for (int i = 0; i < connections; i++) {
            out.add(web(sec(at, end), c, site));
            at += 0.02 + rng.nextDouble() * (i == 0 ? 0.5 : 3);
        }
        return 1 + connections;
    }

    Flow dns(double t, Host c, Host server) {
        double u = rng.nextDouble();
        long query = 28 + rng.nextInt(45);
        if (u < 0.03) {
            // No answer: a timed-out lookup, sometimes retried on the same socket.
            int tries = rng.nextInt(3) == 0 ? 2 : 1;
            return f.udp(
                    FlowStream.micros(t),
                    c,
                    f.sourcePort(c),
                    server,
                    53,
                    "dns",
                    5.0 + rng.nextDouble(),
                    query * tries,
                    0,
                    tries,
                    0,
                    null);
        }
        long answer = query + 16 + Sampling.logUniform(rng, 16, 420);
        return f.udp(
                FlowStream.micros(t),
                c,
                f.sourcePort(c),
                server,
                53,
                "dns",
                Sampling.logUniform(rng, 0.0004, 0.08),
                query,
                answer,
                1,
                1,
                null);
    }

    private Flow web(double t, Host c, Host site) {
        double p = rng.nextDouble();
        int port = p < 0.8 ? 443 : p < 0.95 ? 80 : p < 0.98 ? 8443 : 8080;
        String service = port == 443 || port == 8443 ? "ssl" : "http";
        double u = rng.nextDouble();
        if (u < 0.01) return f.tcpNoAnswer(t, c, f.sourcePort(c), site, port, 1 + rng.nextInt(3), 60, null);
        long ob = Sampling.logUniform(rng, 200, 30_000);
        long rb = Sampling.logUniform(rng, 300, 3_000_000);
        if (service.equals("ssl")) {
            ob += 300 + rng.nextInt(300);
            rb += 2_500 + rng.nextInt(3_000);
        }
        double duration = Sampling.logUniform(rng, 0.03, 240.0);
        if (u < 0.05)
            return f.tcp(t, c, f.sourcePort(c), site, port, service, "RSTR", "ShADadr", duration, ob, rb, null);
        if (u < 0.07)
            return f.tcp(t, c, f.sourcePort(c), site, port, service, "RSTO", "ShADadR", duration, ob, rb, null);
        if (u < 0.09) return f.tcp(t, c, f.sourcePort(c), site, port, service, "S1", "ShADad", duration, ob, rb, null);
        return f.tcp(
                t,
                c,
                f.sourcePort(c),
                site,
                port,
                service,
                "SF",
                Sampling.any(SF_HISTORIES, rng),
                duration,
                ob,
                rb,
                null);
    }

    private Flow intranet(double t) {
        Host c = client();
        Host server = Sampling.any(net.byRole(Role.WEB_SERVER), rng);
        int port = new int[] {443, 443, 80, 8080}[rng.nextInt(4)];
        String service = port == 443 ? "ssl" : "http";
        return f.tcp(
                FlowStream.micros(t),
                c,
                f.sourcePort(c),
                server,
                port,
                service,
                "SF",
                Sampling.any(SF_HISTORIES, rng),
                Sampling.logUniform(rng, 0.01, 60.0),
                Sampling.logUniform(rng, 250, 8_000),
                Sampling.logUniform(rng, 500, 600_000),
                null);
    }

    private Flow fileShare(double t) {
        Host c = client();
        Host server = Sampling.any(net.byRole(Role.FILE_SERVER), rng);
        boolean nfs = rng.nextInt(5) == 0;
        boolean upload = rng.nextInt(3) == 0;
        long big = Sampling.logUniform(rng, 2_000, 400_000_000);
        long small = Sampling.logUniform(rng, 500, 60_000);
        return f.tcp(
                FlowStream.micros(t),
                c,
                f.sourcePort(c),
                server,
                nfs ? 2049 : 445,
                nfs ? null : "smb",
                "SF",
                "ShADadFf",
                Sampling.logUniform(rng, 0.05, 900.0),
                upload ? big : small,
                upload ? small : big,
                null);
    }

    private Flow mail(double t) {
        Host server = Sampling.any(net.byRole(Role.MAIL_SERVER), rng);
        int u = rng.nextInt(4);
        if (u == 0) {
            // Server to server delivery, either direction.
            Host relay = Sampling.any(net.mailRelays, rng);
            boolean inbound = rng.nextBoolean();
            Host o = inbound ? relay : server;
            Host r = inbound ? server : relay;
            return f.tcp(
                    FlowStream.micros(t),
                    o,
                    f.sourcePort(o),
                    r,
                    25,
                    "smtp",
                    "SF",
                    "ShAdDaFf",
                    Sampling.logUniform(rng, 0.3, 20.0),
                    Sampling.logUniform(rng, 1_500, 5_000_000),
                    Sampling.logUniform(rng, 400, 1_500),
                    null);
        }
        Host c = client();
        boolean submit = u == 1;
        return f.tcp(
                FlowStream.micros(t),
                c,
                f.sourcePort(c),
                server,
                submit ? 587 : 993,
                submit ? "smtp" : "ssl",
                "SF",
                "ShAdDaFf",
                Sampling.logUniform(rng, 0.2, 600.0),
                submit ? Sampling.logUniform(rng, 2_000, 8_000_000) : Sampling.logUniform(rng, 400, 4_000),
                submit ? Sampling.logUniform(rng, 800, 3_000) : Sampling.logUniform(rng, 2_000, 20_000_000),
                null);
    }

    private Flow update(double t) {
        Host c = updaters.get(rng.nextInt(updaters.size()));
        Host server = Sampling.any(net.updateServers, rng);
        boolean http = rng.nextInt(5) == 0;
        return f.tcp(
                FlowStream.micros(t),
                c,
                f.sourcePort(c),
                server,
                http ? 80 : 443,
                http ? "http" : "ssl",
                "SF",
                "ShADadFf",
                Sampling.logUniform(rng, 0.5, 600.0),
                Sampling.logUniform(rng, 300, 3_000),
                Sampling.logUniform(rng, 20_000, 800_000_000),
                null);
    }

    /** An admin logs in to a server: usually one long session, sometimes a mistyped password first. */
    private int adminSsh(double t, double end, int max, List<Flow> out) {
        if (net.admins().isEmpty()) return one(out, intranet(t));
        Host admin = Sampling.any(net.admins(), rng);
        Host server = Sampling.any(net.servers(), rng);
        int n = 0;
        if (max > 1 && rng.nextInt(6) == 0) {
            out.add(f.tcp(
                    sec(t, end),
                    admin,
                    f.sourcePort(admin),
                    server,
                    22,
                    "ssh",
                    "SF",
                    "ShAdDaFf",
                    Sampling.logUniform(rng, 2.0, 12.0),
                    1_500 + rng.nextInt(1_500),
                    2_000 + rng.nextInt(1_500),
                    null));
            t += 8 + 20 * rng.nextDouble();
            n++;
        }
        boolean copy = rng.nextInt(4) == 0;
        out.add(f.tcp(
                sec(t, end),
                admin,
                f.sourcePort(admin),
                server,
                22,
                "ssh",
                "SF",
                "ShAdDaFf",
                Sampling.logUniform(rng, 20.0, 7_200.0),
                copy ? Sampling.logUniform(rng, 100_000, 200_000_000) : Sampling.logUniform(rng, 5_000, 400_000),
                Sampling.logUniform(rng, 5_000, 2_000_000),
                null));
        return n + 1;
    }

    private Flow inboundWeb(double t) {
        Host v = Sampling.any(net.visitors, rng);
        Host server = net.byRole(Role.WEB_SERVER).get(0);
        boolean tls = rng.nextInt(5) != 0;
        if (rng.nextInt(60) == 0) {
            return f.tcp(
                    FlowStream.micros(t),
                    v,
                    f.sourcePort(v),
                    server,
                    tls ? 443 : 80,
                    tls ? "ssl" : "http",
                    "RSTO",
                    "ShADadR",
                    Sampling.logUniform(rng, 0.05, 5.0),
                    300 + rng.nextInt(400),
                    900 + rng.nextInt(4000),
                    null);
        }
        return f.tcp(
                FlowStream.micros(t),
                v,
                f.sourcePort(v),
                server,
                tls ? 443 : 80,
                tls ? "ssl" : "http",
                "SF",
                Sampling.any(SF_HISTORIES, rng),
                Sampling.logUniform(rng, 0.05, 90.0),
                Sampling.logUniform(rng, 300, 12_000),
                Sampling.logUniform(rng, 1_000, 2_000_000),
                null);
    }

    private Flow media(double t) {
        Host d = media.get(rng.nextInt(media.size()));
        Host site = net.webPeers[Sampling.pickCumulative(net.webPopularity, rng.nextDouble())];
        return f.tcp(
                FlowStream.micros(t),
                d,
                f.sourcePort(d),
                site,
                443,
                "ssl",
                "SF",
                "ShADadFf",
                Sampling.logUniform(rng, 5.0, 1_800.0),
                Sampling.logUniform(rng, 2_000, 200_000),
                Sampling.logUniform(rng, 500_000, 900_000_000),
                null);
    }

    private Flow discovery(double t) {
        Host d = discoverers.get(rng.nextInt(discoverers.size()));
        boolean mdns = rng.nextBoolean();
        long size = mdns ? 30 + rng.nextInt(400) : 90 + rng.nextInt(100);
        return f.udp(
                FlowStream.micros(t),
                d,
                mdns ? 5353 : f.sourcePort(d),
                mdns ? MDNS : SSDP,
                mdns ? 5353 : 1900,
                mdns ? "dns" : null,
                0,
                size,
                0,
                1,
                0,
                null);
    }

    private Flow monitoring(double t) {
        Host m = net.byRole(Role.MONITORING_SERVER).get(0);
        Host target = Sampling.any(net.internalHosts(), rng);
        if (rng.nextBoolean()) {
            return f.icmpEcho(
                    FlowStream.micros(t),
                    m,
                    target,
                    56,
                    Sampling.logUniform(rng, 0.0002, 0.01),
                    rng.nextInt(50) != 0,
                    null);
        }
        long request = 40 + rng.nextInt(40);
        return f.udp(
                FlowStream.micros(t),
                m,
                f.sourcePort(m),
                target,
                161,
                "snmp",
                Sampling.logUniform(rng, 0.0005, 0.05),
                request,
                request + 20 + rng.nextInt(400),
                1,
                1,
                null);
    }

    private Flow database(double t) {
        Host app = Sampling.any(net.byRole(Role.WEB_SERVER), rng);
        Host db = Sampling.any(net.byRole(Role.DB_SERVER), rng);
        return f.tcp(
                FlowStream.micros(t),
                app,
                f.sourcePort(app),
                db,
                5432,
                null,
                "SF",
                "ShADadFf",
                Sampling.logUniform(rng, 0.002, 30.0),
                Sampling.logUniform(rng, 200, 50_000),
                Sampling.logUniform(rng, 200, 2_000_000),
                null);
    }

    /** Everyday failures: a dead site, a closed port, a reset: benign look-alikes of scanning. */
    private Flow failure(double t) {
        Host c = client();
        double ts = FlowStream.micros(t);
        return switch (rng.nextInt(3)) {
            case 0 ->
                f.tcpNoAnswer(
                        ts, c, f.sourcePort(c), Sampling.any(net.webPeers, rng), 443, 1 + rng.nextInt(3), 60, null);
            case 1 ->
                f.tcpRejected(
                        ts,
                        c,
                        f.sourcePort(c),
                        Sampling.any(net.internalHosts(), rng),
                        new int[] {80, 443, 8080, 3389, 22, 139}[rng.nextInt(6)],
                        60,
                        Sampling.logUniform(rng, 0.0002, 0.005),
                        null);
            default ->
                f.tcp(
                        ts,
                        c,
                        f.sourcePort(c),
                        Sampling.any(net.webPeers, rng),
                        443,
                        "ssl",
                        "RSTR",
                        "ShADar",
                        Sampling.logUniform(rng, 0.05, 2.0),
                        300 + rng.nextInt(300),
                        0,
                        null);
        };
    }

    private Flow adminTelnet(double t) {
        Host admin = net.admins().isEmpty() ? client() : Sampling.any(net.admins(), rng);
        Host device = Sampling.any(net.iotDevices(), rng);
        return f.tcp(
                FlowStream.micros(t),
                admin,
                f.sourcePort(admin),
                device,
                23,
                null,
                "SF",
                "ShADadFf",
                Sampling.logUniform(rng, 10.0, 600.0),
                Sampling.logUniform(rng, 100, 3_000),
                Sampling.logUniform(rng, 500, 40_000),
                null);
    }

    private Flow print(double t) {
        Host c = client();
        Host printer = Sampling.any(net.byRole(Role.PRINTER), rng);
        boolean ipp = rng.nextBoolean();
        return f.tcp(
                FlowStream.micros(t),
                c,
                f.sourcePort(c),
                printer,
                ipp ? 631 : 9100,
                ipp ? "http" : null,
                "SF",
                "ShADadFf",
                Sampling.logUniform(rng, 0.5, 60.0),
                Sampling.logUniform(rng, 20_000, 30_000_000),
                Sampling.logUniform(rng, 100, 3_000),
                null);
    }
}
