package io.gnnnids.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A simulated network drawn from a seed: local subnets, internal hosts with roles (clients, servers, IoT
 * devices), the external peers they talk to, the time zone and working hours that shape their day, and the
 * hosts that take part in attacks. Two seeds give different address plans, device mixes, volumes and
 * rhythms, so a detector trained on one network has to generalise by behaviour to another.
 */
public final class NetworkModel {

    /** Networks of fewer hosts are homes: devices and a router that is their gateway, resolver and DHCP server. */
    public static final int HOME_MAX_HOSTS = 9;
    /** Server roles every network of 20 hosts or more has, DNS and web first (the smallest networks have four). */
    static final Role[] SERVER_ROLES = {
        Role.DNS_SERVER, Role.WEB_SERVER, Role.FILE_SERVER, Role.MAIL_SERVER, Role.DB_SERVER, Role.MONITORING_SERVER
    };

    static final Role[] IOT_KINDS = {
        Role.CAMERA, Role.THERMOSTAT, Role.SMART_SPEAKER, Role.SMART_TV, Role.PRINTER, Role.LIGHT_HUB
    };

    /** How one vendor's devices of a kind report to the vendor's cloud. */
    record Telemetry(
            int port,
            String service,
            long origMin,
            long origMax,
            long respMin,
            long respMax,
            double rate,
            Host[] endpoints) {}

    private final long seed;
    private final int[] subnets;
    private final List<Host> internal = new ArrayList<>();
    private final Map<Integer, Host> byAddress = new HashMap<>();
    private final Map<Role, List<Host>> byRole = new EnumMap<>(Role.class);
    private final List<Host> clients = new ArrayList<>();
    private final List<Host> iot = new ArrayList<>();
    private final List<Host> servers = new ArrayList<>();
    private final List<Host> admins = new ArrayList<>();
    private final List<Host> bots = new ArrayList<>();
    private final List<Host> infectedClients = new ArrayList<>();
    private final Map<Role, List<Telemetry>> vendors = new EnumMap<>(Role.class);
    private final Map<Host, Telemetry> telemetry = new HashMap<>();
    private final Set<Host> telnetOpen = new HashSet<>();
    private final List<Host> gateways = new ArrayList<>();
    private final boolean home;
    /** For a network built from observed flows: the TCP ports each internal host answered on; null otherwise. */
    private final Map<Integer, Set<Integer>> tcpServices;

    final Host[] webPeers;
    final double[] webPopularity;
    final Host[] ntpPool;
    /**
     * Servers of a public NTP pool: ntpd and chrony with a {@code pool} line keep several of them, query each in
     * turn and replace those that stop answering, so one client talks NTP with many outside hosts.
     */
    final Host[] ntpPoolServers;

    final Host[] updateServers;
    final Host[] upstreamDns;
    final Host[] mailRelays;
    final Host[] backupTargets;
    final Host[] visitors;
    final Host[] c2Servers;
    final Host[] payloadServers;
    final Host[] dropServers;
    final Host[] externalAttackers;

    /** Local time offset from UTC in hours, and the working day in local hours. */
    final int utcOffsetHours;

    final double workStart;
    final double workEnd;
    final double nightLevel;
    final double weekendLevel;
    final double eveningLevel;
    /** Relative weights of the benign activities that follow the working day (see BenignActivity). */
    final double[] benignMix;
    /** Share of benign traffic that is device telemetry and time sync, independent of the working day. */
    final double periodicShare;
    /** Ports the attackers' infrastructure listens on, chosen per network from ports benign traffic uses too. */
    final AttackPorts attackPorts;
    /** Unusual port a bot's C&C server (often down) listens on, and the one of Torii-like C&C conversations. */
    final int c2RetryPort;

    final int toriiPort;
    /** IoT devices ask the gateway for names rather than the DNS server (home routers' habit, some offices). */
    final boolean iotResolvesViaGateway;
    /** Share of benign flows that is local chatter: discovery, DHCP, ICMP, IPv6 link-local, background scans. */
    final double localShare;
    /** Relative weights of the kinds of local chatter (see LocalTraffic). */
    final double[] localMix;

    private NetworkModel(long seed, int hosts) {
        this.seed = seed;
        this.home = hosts <= HOME_MAX_HOSTS;
        this.tcpServices = null;
        SplittableRandom rng = new SplittableRandom(mix(seed ^ 0x6E6574776F726BL));

        // Address plan: one private family, random subnet numbers, flat or segmented into /24s.
        int family = rng.nextInt(3);
        int second = switch (family) {
            case 0 -> rng.nextInt(256);
            case 1 -> 16 + rng.nextInt(16);
            default -> 168;
        };
        int first = family == 0 ? 10 : family == 1 ? 172 : 192;
        int perSubnet = 120 + rng.nextInt(120);
        int segments = home ? 1 : Math.max((hosts + perSubnet - 1) / perSubnet, 1 + rng.nextInt(4));
        segments = Math.min(segments, 250);
        LinkedHashSet<Integer> thirds = new LinkedHashSet<>();
        int base = rng.nextInt(256);
        boolean contiguous = rng.nextBoolean();
        while (thirds.size() < segments) {
            thirds.add(contiguous ? (base + thirds.size()) % 256 : rng.nextInt(256));
        }
        subnets = new int[segments];
        int i = 0;
        for (int third : thirds) {
            subnets[i++] = Addresses.of(first, second, third, 0);
        }

        // Device mix. Every network has every kind of server and device, so every kind of benign behaviour (and
        // its look-alikes of attacks) is present whatever the seed; the seed decides how many of each.
        // A home (fewer than ten hosts) has no servers: one device is an IoT device, two are one or two of them
        // beside a computer, more are a third computers.
        int nServers = home
                ? 0
                : Math.max(hosts >= 20 ? SERVER_ROLES.length : 4, (int)
                        Math.round(hosts * (0.02 + 0.06 * rng.nextDouble())));
        int nIot = home
                ? (hosts == 1 ? 1 : hosts == 2 ? 1 + rng.nextInt(2) : hosts - Math.max(1, hosts / 3))
                : Math.max(
                        hosts >= 20 ? IOT_KINDS.length : 3, (int) Math.round(hosts * (0.12 + 0.36 * rng.nextDouble())));
        int nClients = home ? hosts - nIot : Math.max(3, hosts - nServers - nIot);
        nIot = hosts - nServers - nClients;
        double laptopShare = rng.nextDouble();
        double activitySigma = 0.5 + 0.6 * rng.nextDouble();
        int linuxShare = rng.nextInt(40);

        AddressPool pool = new AddressPool(subnets, hosts, rng);
        List<Role> serverRoles =
                new ArrayList<>(List.of(SERVER_ROLES).subList(0, Math.min(nServers, SERVER_ROLES.length)));
        Role[] extraServers = {
            Role.WEB_SERVER, Role.DB_SERVER, Role.MONITORING_SERVER, Role.FILE_SERVER, Role.WEB_SERVER
        };
        while (serverRoles.size() < nServers) {
            serverRoles.add(extraServers[rng.nextInt(extraServers.length)]);
        }
        for (Role r : serverRoles) {
            add(pool.server(), r, 1.0, 32768, 60999);
        }
        for (Role kind : iotMix(nIot, rng)) {
            add(pool.dynamic(), kind, 0.5 + rng.nextDouble(), 32768, 60999);
        }
        for (int k = 0; k < nClients; k++) {
            // One of each at least, so every network has both kinds of client.
            Role kind = k < 2
                    ? (k == 0 ? Role.LAPTOP : Role.WORKSTATION)
                    : rng.nextDouble() < laptopShare ? Role.LAPTOP : Role.WORKSTATION;
            double activity = Math.exp(activitySigma * Sampling.gaussian(rng));
            boolean linux = rng.nextInt(100) < linuxShare;
            add(pool.dynamic(), kind, activity, linux ? 32768 : 49152, linux ? 60999 : 65535);
        }

        int nAdmins = home ? 0 : Math.min(clients.size() - 1, 1 + rng.nextInt(3));
        for (int k = 0; k < nAdmins; k++) {
            admins.add(clients.get(k * clients.size() / nAdmins));
        }
        for (Host h : iot) {
            if (rng.nextDouble() < 0.5) {
                telnetOpen.add(h);
            }
        }

        // Compromised hosts keep their benign traffic too: only what they additionally do is malicious.
        List<Host> iotShuffled = shuffled(iot, rng);
        bots.addAll(iotShuffled.subList(0, Math.min(iot.size(), 1 + rng.nextInt(3))));
        List<Host> clientPool = shuffled(clients, rng);
        clientPool.removeAll(admins);
        infectedClients.addAll(clientPool.subList(0, Math.min(clientPool.size(), 1 + rng.nextInt(2))));

        // External peers: sizes, addresses and popularity differ per network.
        webPeers = externals(rng, 40 + rng.nextInt(40) + hosts / 2);
        webPopularity = Sampling.zipf(webPeers.length, 0.8 + 0.5 * rng.nextDouble());
        ntpPool = externals(rng, 2 + rng.nextInt(6));
        updateServers = externals(rng, 3 + rng.nextInt(8));
        upstreamDns = externals(rng, 1 + rng.nextInt(4));
        mailRelays = externals(rng, 2 + rng.nextInt(8));
        backupTargets = externals(rng, 1 + rng.nextInt(2));
        visitors = externals(rng, 20 + rng.nextInt(200));
        c2Servers = externals(rng, 1 + rng.nextInt(3));
        payloadServers = externals(rng, 1 + rng.nextInt(2));
        dropServers = externals(rng, 1 + rng.nextInt(2));
        externalAttackers = externals(rng, 2 + rng.nextInt(4));

        drawTelemetry(rng);

        utcOffsetHours = rng.nextInt(23) - 10;
        workStart = 6.5 + 3 * rng.nextDouble();
        workEnd = workStart + 8 + 3 * rng.nextDouble();
        nightLevel = 0.04 + 0.2 * rng.nextDouble();
        eveningLevel = 0.15 + 0.35 * rng.nextDouble();
        weekendLevel = 0.15 + 0.45 * rng.nextDouble();
        benignMix = BenignActivity.drawMix(
                rng,
                !byRole(Role.MONITORING_SERVER).isEmpty(),
                !byRole(Role.DB_SERVER).isEmpty());
        periodicShare = Math.min(0.45, 0.06 + 0.6 * iot.size() / (double) hosts) * (0.8 + 0.4 * rng.nextDouble());

        attackPorts = AttackPorts.draw(rng);

        // Drawn from a stream of their own, so the draws above, and so every network of ten hosts or more, stay
        // what they were before these were added.
        SplittableRandom local = new SplittableRandom(mix(seed ^ 0x6C6F63616CL));
        for (int s : subnets) {
            int addr = s | 1;
            Host gw = new Host(Addresses.format(addr), addr, Role.GATEWAY, true, 1.0, 32768, 60999);
            gateways.add(gw);
            byAddress.put(addr, gw);
        }
        int[] unusual = {6666, 666, 1337, 3333, 4444, 5888, 6667, 7777, 9999, 23455, 31337, 48101};
        c2RetryPort = local.nextInt(3) == 0 ? 1024 + local.nextInt(60_000) : unusual[local.nextInt(unusual.length)];
        int torii;
        do {
            torii = local.nextInt(2) == 0 ? 1024 + local.nextInt(60_000) : unusual[local.nextInt(unusual.length)];
        } while (torii == c2RetryPort);
        toriiPort = torii;
        iotResolvesViaGateway = home || byRole(Role.DNS_SERVER).isEmpty() || local.nextBoolean();
        localShare = home ? 0.15 + 0.2 * local.nextDouble() : 0.03 + 0.07 * local.nextDouble();
        localMix = LocalTraffic.drawMix(local, home);
        ntpPoolServers = externals(local, 8 + local.nextInt(40));
    }

    /**
     * A network as observed: its local subnets, internal hosts (with roles guessed from what they answer and how
     * many outside peers they have), gateways, the TCP services each host answered on, and the outside peers it
     * talks to; the attackers' addresses and ports are drawn from the seed, away from the observed peers. Used to
     * lay attacks over real traffic (see {@link AttackOverlay}).
     */
    private NetworkModel(long seed, AttackOverlay.Observation obs) {
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(mix(seed ^ 0x6F62736572766564L));
        this.tcpServices = new HashMap<>();
        java.util.TreeSet<Integer> prefixes = new java.util.TreeSet<>();
        for (AttackOverlay.ObservedHost h : obs.hosts()) prefixes.add(h.addr() & 0xFFFFFF00);
        if (prefixes.isEmpty()) throw new IllegalArgumentException("no internal IPv4 host in the observed flows");
        subnets = prefixes.stream().limit(250).mapToInt(Integer::intValue).toArray();
        for (AttackOverlay.ObservedHost h : obs.hosts()) {
            if (!isLocal(h.addr())) continue;
            Set<Integer> ports = h.tcpServices();
            Role role = guessRole(h, obs.gatewayAddrs().contains(h.addr()));
            Host placed = new Host(
                    Addresses.format(h.addr()), h.addr(), role, true, 1.0, h.ephemeralLow(), h.ephemeralHigh());
            tcpServices.put(h.addr(), ports);
            byAddress.put(h.addr(), placed);
            if (role == Role.GATEWAY) {
                gateways.add(placed);
                continue;
            }
            internal.add(placed);
            byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(placed);
            if (role.isClient()) clients.add(placed);
            if (role.isIot()) iot.add(placed);
            if (role.isServer()) servers.add(placed);
            if (ports.contains(23)) telnetOpen.add(placed);
        }
        // The gateways seen answering (names, pages) first: the first is the network's router.
        Set<Integer> answering = new HashSet<>();
        for (AttackOverlay.ObservedHost h : obs.hosts()) {
            if (h.answersDns() || !h.tcpServices().isEmpty()) answering.add(h.addr());
        }
        gateways.sort(java.util.Comparator.comparing((Host g) -> !answering.contains(g.addr()))
                .thenComparingInt(Host::addr));
        for (int s : subnets) {
            // Every LAN has a router even when the capture never saw it answer (not IPv4 link-local ones).
            if ((s >>> 16) == 0xA9FE || gateways.stream().anyMatch(g -> (g.addr() & 0xFFFFFF00) == s)) continue;
            int addr = s | 1;
            Host gw = byAddress.containsKey(addr)
                    ? byAddress.get(addr)
                    : new Host(Addresses.format(addr), addr, Role.GATEWAY, true, 1.0, 32768, 60999);
            if (gw.role() != Role.GATEWAY) continue;
            gateways.add(gw);
            byAddress.put(addr, gw);
            tcpServices.putIfAbsent(addr, Set.of());
        }
        if (gateways.isEmpty()) {
            int addr = subnets[0] | 1;
            gateways.add(new Host(Addresses.format(addr), addr, Role.GATEWAY, true, 1.0, 32768, 60999));
            byAddress.putIfAbsent(addr, gateways.get(0));
        }
        if (internal.isEmpty())
            throw new IllegalArgumentException("no internal host other than gateways in the observed flows");
        this.home = internal.size() <= HOME_MAX_HOSTS;

        // Infected hosts: among hosts that talk to the internet, IoT-like ones first (one to three), then one or two
        // of the others.
        Set<Integer> talking = new HashSet<>();
        for (AttackOverlay.ObservedHost h : obs.hosts()) {
            if (h.externalPeers() > 0) talking.add(h.addr());
        }
        List<Host> active =
                internal.stream().filter(h -> talking.contains(h.addr())).toList();
        List<Host> activeIot = active.stream().filter(h -> h.role().isIot()).toList();
        List<Host> candidates = new ArrayList<>(
                !activeIot.isEmpty() ? activeIot : !active.isEmpty() ? active : !iot.isEmpty() ? iot : internal);
        List<Host> iotShuffled = shuffled(candidates, rng);
        bots.addAll(iotShuffled.subList(0, Math.min(iotShuffled.size(), 1 + rng.nextInt(3))));
        List<Host> clientPool = shuffled(clients, rng);
        clientPool.removeAll(bots);
        infectedClients.addAll(clientPool.subList(0, Math.min(clientPool.size(), 1 + rng.nextInt(2))));

        Set<Integer> seen = new HashSet<>(obs.externalAddrs());
        List<Host> peers = new ArrayList<>();
        for (int a : obs.externalAddrs()) peers.add(Host.external(a));
        webPeers = peers.toArray(new Host[0]);
        webPopularity = Sampling.zipf(webPeers.length, 1.0);
        ntpPool = new Host[0];
        ntpPoolServers = new Host[0];
        updateServers = new Host[0];
        upstreamDns = new Host[0];
        mailRelays = new Host[0];
        backupTargets = new Host[0];
        visitors = new Host[0];
        c2Servers = unseen(rng, 1 + rng.nextInt(3), seen);
        payloadServers = unseen(rng, 1 + rng.nextInt(2), seen);
        dropServers = unseen(rng, 1 + rng.nextInt(2), seen);
        externalAttackers = unseen(rng, 2 + rng.nextInt(4), seen);

        utcOffsetHours = 0;
        workStart = 8;
        workEnd = 17;
        nightLevel = 0.1;
        eveningLevel = 0.3;
        weekendLevel = 0.3;
        benignMix = new double[0];
        periodicShare = 0;
        attackPorts = AttackPorts.draw(rng);
        int[] unusual = {6666, 666, 1337, 3333, 4444, 5888, 6667, 7777, 9999, 23455, 31337, 48101};
        c2RetryPort = unusual[rng.nextInt(unusual.length)];
        int torii;
        do {
            torii = 1024 + rng.nextInt(60_000);
        } while (torii == c2RetryPort);
        toriiPort = torii;
        iotResolvesViaGateway = true;
        localShare = 0;
        localMix = new double[LocalTraffic.KINDS];
    }

    /** The network seen in these flows, with attackers drawn from the seed. */
    static NetworkModel observed(AttackOverlay.Observation obs, long seed) {
        return new NetworkModel(seed, obs);
    }

    /** A role from what the host answered: gateway, a server role, a camera or printer, else IoT or client. */
    private static Role guessRole(AttackOverlay.ObservedHost h, boolean gateway) {
        Set<Integer> p = h.tcpServices();
        if (gateway) return Role.GATEWAY;
        if (p.contains(554)) return Role.CAMERA;
        if (p.contains(631) || p.contains(9100)) return Role.PRINTER;
        if (p.contains(25) || p.contains(587) || p.contains(993)) return Role.MAIL_SERVER;
        if (p.contains(445) || p.contains(2049)) return Role.FILE_SERVER;
        if (p.contains(5432) || p.contains(3306) || p.contains(1433)) return Role.DB_SERVER;
        if (p.contains(443) || p.contains(8443) || (p.contains(80) && p.contains(22))) return Role.WEB_SERVER;
        if (h.answersDns()) return Role.DNS_SERVER;
        // Devices talk to a handful of clouds; people's computers to many sites.
        return h.externalPeers() <= 12 ? Role.SMART_SPEAKER : Role.LAPTOP;
    }

    private Host[] unseen(SplittableRandom rng, int n, Set<Integer> seen) {
        Host[] out = new Host[n];
        for (int i = 0; i < n; i++) {
            int a;
            do {
                a = Addresses.randomPublic(rng);
            } while (seen.contains(a) || isLocal(a));
            seen.add(a);
            out[i] = Host.external(a);
        }
        return out;
    }

    /** True for a network built from observed flows. */
    boolean observed() {
        return tcpServices != null;
    }

    /** Whether the internal host answered TCP on this port in the observed flows (always false when generated). */
    boolean offers(Host h, int port) {
        return tcpServices != null
                && tcpServices.getOrDefault(h.addr(), Set.of()).contains(port);
    }

    /** Internal hosts and gateways that answered TCP on one of these ports in the observed flows, in address order. */
    List<Host> offering(int... ports) {
        List<Host> out = new ArrayList<>();
        if (tcpServices == null) return out;
        List<Host> all = new ArrayList<>(internal);
        all.addAll(gateways);
        for (Host h : all) {
            for (int p : ports) {
                if (offers(h, p)) {
                    out.add(h);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The kinds of {@code n} IoT devices: a few of every kind (one each when there are too few devices for more, in
     * a seeded order), the rest in proportions drawn per network with one kind dominant.
     */
    private static List<Role> iotMix(int n, SplittableRandom rng) {
        List<Role> kinds = shuffled(List.of(IOT_KINDS), rng);
        int floor = Math.max(1, Math.min(3, n / 8));
        List<Role> out = new ArrayList<>();
        for (int k = 0; k < floor * kinds.size() && out.size() < n; k++) {
            out.add(kinds.get(k % kinds.size()));
        }
        double[] weights = new double[IOT_KINDS.length];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = 0.05 + rng.nextDouble();
        }
        weights[rng.nextInt(weights.length)] += 1;
        while (out.size() < n) {
            out.add(IOT_KINDS[Sampling.pick(weights, rng.nextDouble())]);
        }
        return out;
    }

    /**
     * One to three vendors per device kind, each with its own cloud, port, sizes and rate; every device reports
     * to its vendor's cloud. Real networks mix transports, so every network has telemetry over TLS, over plain
     * MQTT (tcp/1883) and over CoAP (udp/5683), and its cameras upload to their cloud over TLS; which kinds use
     * which, on which of the TLS ports, and how much, is drawn per network.
     */
    private void drawTelemetry(SplittableRandom rng) {
        List<Role> present = new ArrayList<>();
        for (Role kind : IOT_KINDS) {
            if (!byRole(kind).isEmpty()) present.add(kind);
        }
        Map<Role, List<Integer>> ports = new EnumMap<>(Role.class);
        for (Role kind : present) {
            int devices = byRole(kind).size();
            int n = Math.min(devices, 1 + rng.nextInt(3));
            List<Integer> p = new ArrayList<>();
            for (int v = 0; v < n; v++) p.add(TELEMETRY_PORTS[rng.nextInt(TELEMETRY_PORTS.length)]);
            ports.put(kind, p);
        }
        if (ports.containsKey(Role.CAMERA) && ports.get(Role.CAMERA).stream().noneMatch(NetworkModel::tls)) {
            ports.get(Role.CAMERA).set(0, TLS_PORTS[rng.nextInt(TLS_PORTS.length)]);
        }
        // Transports no vendor drew go to vendors of kinds other than cameras (whose TLS vendor stays).
        List<Role> others =
                shuffled(present.stream().filter(k -> k != Role.CAMERA).toList(), rng);
        int next = 0;
        for (int required : new int[] {1883, 5683, 0}) {
            boolean covered =
                    ports.values().stream().flatMap(List::stream).anyMatch(p -> required == 0 ? tls(p) : p == required);
            if (covered || others.isEmpty()) continue;
            Role kind = others.get(next++ % others.size());
            List<Integer> p = ports.get(kind);
            int slot = rng.nextInt(p.size());
            p.set(slot, required == 0 ? TLS_PORTS[rng.nextInt(TLS_PORTS.length)] : required);
        }
        for (Role kind : present) {
            List<Telemetry> ts = new ArrayList<>();
            for (int port : ports.get(kind)) ts.add(drawVendor(kind, port, rng));
            vendors.put(kind, ts);
            List<Host> devices = shuffled(byRole(kind), rng);
            double[] share = new double[ts.size()];
            for (int v = 0; v < share.length; v++) share[v] = 0.2 + rng.nextDouble();
            for (int d = 0; d < devices.size(); d++) {
                // The first devices go one to each vendor, so every vendor drawn is present.
                int v = d < ts.size() ? d : Sampling.pick(share, rng.nextDouble());
                telemetry.put(devices.get(d), ts.get(v));
            }
        }
    }

    private static final int[] TELEMETRY_PORTS = {443, 443, 8883, 1883, 5683, 8443};
    private static final int[] TLS_PORTS = {443, 443, 8883, 8443};

    private static boolean tls(int port) {
        return port == 443 || port == 8883 || port == 8443;
    }

    private static Telemetry drawVendor(Role kind, int port, SplittableRandom rng) {
        String service = tls(port) ? "ssl" : null;
        boolean udp = port == 5683;
        long origMin = kind == Role.CAMERA ? 20_000 + rng.nextInt(200_000) : 80 + rng.nextInt(800);
        long respMin = udp ? 10 + rng.nextInt(40) : 60 + rng.nextInt(600);
        double rate = kind == Role.CAMERA ? 3 + 3 * rng.nextDouble() : 0.5 + 2 * rng.nextDouble();
        return new Telemetry(
                port,
                service,
                origMin,
                origMin * (2 + rng.nextInt(4)),
                respMin,
                respMin * (2 + rng.nextInt(3)),
                rate,
                externals(rng, 1 + rng.nextInt(3)));
    }

    /** The network for this many internal hosts and this seed; the same arguments give the same network. */
    public static NetworkModel build(int hosts, long seed) {
        if (hosts < GeneratorOptions.MIN_HOSTS || hosts > GeneratorOptions.MAX_HOSTS) {
            throw new IllegalArgumentException("--hosts must be between " + GeneratorOptions.MIN_HOSTS + " and "
                    + GeneratorOptions.MAX_HOSTS + ", got " + hosts);
        }
        return new NetworkModel(seed, hosts);
    }

    /** True for homes: fewer than ten hosts, no servers, the gateway answers names, DHCP and time. */
    public boolean home() {
        return home;
    }

    /** The router of the first subnet. */
    public Host gateway() {
        return gateways.get(0);
    }

    /** The routers, one at x.x.x.1 of each subnet; not among {@link #internalHosts()}. */
    public List<Host> gateways() {
        return Collections.unmodifiableList(gateways);
    }

    /** The router of the host's subnet. */
    Host gatewayOf(Host h) {
        int prefix = h.addr() & 0xFFFFFF00;
        for (Host gw : gateways) {
            if ((gw.addr() & 0xFFFFFF00) == prefix) return gw;
        }
        return gateways.get(0);
    }

    /** Where the host asks for names: the DNS server, or the gateway in homes and for IoT devices of some networks. */
    Host resolverFor(Host h) {
        List<Host> dns = byRole(Role.DNS_SERVER);
        if (dns.isEmpty() || (h.role().isIot() && iotResolvesViaGateway)) return gatewayOf(h);
        return dns.get(0);
    }

    /** Hosts reachable from the internet: the gateway and the public-facing servers (web and mail). */
    List<Host> exposedHosts() {
        List<Host> out = new ArrayList<>();
        out.add(gateway());
        out.addAll(byRole(Role.WEB_SERVER));
        out.addAll(byRole(Role.MAIL_SERVER));
        return out;
    }

    /** Hosts that get their address by DHCP: clients and IoT devices. */
    List<Host> dynamicHosts() {
        List<Host> out = new ArrayList<>(clients);
        out.addAll(iot);
        return out;
    }

    /** The infected device that does most: every outward campaign of the first episodes starts from it. */
    Host primaryBot() {
        return bots.get(0);
    }

    /** The host's IPv6 link-local address: fe80:: and the EUI-64 interface id of a MAC drawn from the seed. */
    String linkLocal(Host h) {
        long mac = mix(seed ^ 0x6970763600L ^ h.addr());
        int[] b = new int[6];
        for (int i = 0; i < 6; i++) b[i] = (int) ((mac >>> (8 * i)) & 0xFF);
        b[0] &= 0xFE; // unicast
        return String.format(
                "fe80::%x:%x:%x:%x",
                ((b[0] ^ 0x02) << 8) | b[1], (b[2] << 8) | 0xFF, 0xFE00 | b[3], (b[4] << 8) | b[5]);
    }

    /**
     * True when Zeek would report the address as local: one of the local subnets (IPv4) or IPv6 link-local;
     * 0.0.0.0, broadcast 255.255.255.255, multicast and IPv6 multicast or unspecified are not.
     */
    public boolean isLocal(String ip) {
        if (ip.indexOf(':') >= 0) {
            String s = ip.toLowerCase();
            return s.startsWith("fe8") || s.startsWith("fe9") || s.startsWith("fea") || s.startsWith("feb");
        }
        String[] p = ip.split("\\.");
        if (p.length != 4) return false;
        return isLocal(Addresses.of(
                Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])));
    }

    private void add(int addr, Role role, double activity, int ephemeralLow, int ephemeralHigh) {
        Host placed = new Host(Addresses.format(addr), addr, role, true, activity, ephemeralLow, ephemeralHigh);
        internal.add(placed);
        byAddress.put(addr, placed);
        byRole.computeIfAbsent(placed.role(), r -> new ArrayList<>()).add(placed);
        if (placed.role().isClient()) clients.add(placed);
        if (placed.role().isIot()) iot.add(placed);
        if (placed.role().isServer()) servers.add(placed);
    }

    /** Ports the attackers' infrastructure listens on, drawn from ports benign traffic uses too. */
    record AttackPorts(int c2, boolean heartbeatUdp, int heartbeat, int payload, int exfil) {
        static AttackPorts draw(SplittableRandom rng) {
            int[] c2Ports = {443, 80, 8080, 8443, 1024 + rng.nextInt(50_000)};
            int c2 = c2Ports[rng.nextInt(c2Ports.length)];
            boolean udp = rng.nextBoolean();
            int heartbeat = udp
                    ? new int[] {53, 123, 1024 + rng.nextInt(50_000)}[rng.nextInt(3)]
                    : new int[] {443, 8080, 1024 + rng.nextInt(50_000)}[rng.nextInt(3)];
            int payload = rng.nextInt(4) == 0 ? 8080 : 80;
            return new AttackPorts(c2, udp, heartbeat, payload, new int[] {443, 443, 8443, 22}[rng.nextInt(4)]);
        }
    }

    private static Host[] externals(SplittableRandom rng, int n) {
        Host[] out = new Host[n];
        for (int i = 0; i < n; i++) {
            out[i] = Host.external(Addresses.randomPublic(rng));
        }
        return out;
    }

    private static <T> List<T> shuffled(List<T> items, SplittableRandom rng) {
        List<T> copy = new ArrayList<>(items);
        for (int i = copy.size() - 1; i > 0; i--) {
            Collections.swap(copy, i, rng.nextInt(i + 1));
        }
        return copy;
    }

    /** SplitMix64's finaliser: spreads nearby seeds over the whole state space. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long seed() {
        return seed;
    }

    /** Local subnets in CIDR notation, e.g. "10.37.212.0/24". */
    public List<String> localSubnets() {
        List<String> out = new ArrayList<>();
        for (int s : subnets) {
            out.add(Addresses.format(s) + "/24");
        }
        return out;
    }

    /** True when the address lies in one of the local subnets (what Zeek reports as local_orig/local_resp). */
    public boolean isLocal(int addr) {
        int prefix = addr & 0xFFFFFF00;
        for (int s : subnets) {
            if (s == prefix) return true;
        }
        return false;
    }

    public List<Host> internalHosts() {
        return Collections.unmodifiableList(internal);
    }

    public List<Host> byRole(Role role) {
        return byRole.getOrDefault(role, List.of());
    }

    public List<Host> clients() {
        return Collections.unmodifiableList(clients);
    }

    public List<Host> iotDevices() {
        return Collections.unmodifiableList(iot);
    }

    public List<Host> servers() {
        return Collections.unmodifiableList(servers);
    }

    public List<Host> admins() {
        return Collections.unmodifiableList(admins);
    }

    /** Internal hosts that take part in attacks: IoT bots and infected clients. */
    public List<Host> compromisedHosts() {
        List<Host> out = new ArrayList<>(bots);
        out.addAll(infectedClients);
        return out;
    }

    List<Host> bots() {
        return bots;
    }

    List<Host> infectedClients() {
        return infectedClients;
    }

    /** External hosts run by attackers: C&C, payload and drop servers, and scanning/brute-forcing sources. */
    public List<Host> attackerHosts() {
        List<Host> out = new ArrayList<>();
        Collections.addAll(out, c2Servers);
        Collections.addAll(out, payloadServers);
        Collections.addAll(out, dropServers);
        Collections.addAll(out, externalAttackers);
        return out;
    }

    /** Benign external peers: web, NTP, update, DNS, mail, backup, device clouds, visitors of the web server. */
    public List<Host> benignExternalHosts() {
        List<Host> out = new ArrayList<>();
        for (Host[] group :
                new Host[][] {webPeers, ntpPool, updateServers, upstreamDns, mailRelays, backupTargets, visitors}) {
            Collections.addAll(out, group);
        }
        for (List<Telemetry> kind : vendors.values()) {
            for (Telemetry t : kind) Collections.addAll(out, t.endpoints());
        }
        return out;
    }

    /** How this IoT device reports to its vendor's cloud. */
    Telemetry telemetry(Host device) {
        return telemetry.get(device);
    }

    /** The vendors of a device kind present in this network, each with its own telemetry. */
    List<Telemetry> vendors(Role kind) {
        return vendors.getOrDefault(kind, List.of());
    }

    boolean telnetOpen(Host h) {
        return telnetOpen.contains(h);
    }

    /** A random address of the local subnets, used or not (what a scanner sweeping the network hits). */
    int randomLocalAddress(SplittableRandom rng) {
        return subnets[rng.nextInt(subnets.length)] | (1 + rng.nextInt(254));
    }

    /** The host at this address, or an external stand-in; used for scan targets. */
    Host hostAt(int addr) {
        Host h = byAddress.get(addr);
        if (h != null) return h;
        return isLocal(addr)
                ? new Host(Addresses.format(addr), addr, Role.EXTERNAL, true, 0, 1024, 65535)
                : Host.external(addr);
    }

    /** One line for logs: the address plan and the device mix. */
    public String describe() {
        return String.format(
                "subnets %s, %d clients (%d admins), %d servers, %d IoT devices, %d compromised, "
                        + "%d web peers, UTC%+d, working %.1fh-%.1fh",
                localSubnets(),
                clients.size(),
                admins.size(),
                servers.size(),
                iot.size(),
                compromisedHosts().size(),
                webPeers.length,
                utcOffsetHours,
                workStart,
                workEnd);
    }

    /** Hands out internal addresses: servers low in the first subnet, everything else from DHCP-like pools. */
    private static final class AddressPool {
        private final int[] subnets;
        private final int[] next;
        private final SplittableRandom rng;
        private final Set<Integer> used = new HashSet<>();
        private int serverNext;

        AddressPool(int[] subnets, int hosts, SplittableRandom rng) {
            this.subnets = subnets;
            this.rng = rng;
            this.next = new int[subnets.length];
            for (int i = 0; i < subnets.length; i++) {
                next[i] = 30 + rng.nextInt(40);
            }
            this.serverNext = 2 + rng.nextInt(10);
        }

        int server() {
            if (serverNext >= 30) return dynamic();
            int addr = subnets[0] | serverNext;
            serverNext += 1 + (rng.nextInt(4) == 0 ? 1 : 0);
            return take(addr);
        }

        int dynamic() {
            for (int attempt = 0; attempt < subnets.length * 4; attempt++) {
                int s = rng.nextInt(subnets.length);
                if (next[s] <= 254) {
                    int addr = subnets[s] | next[s];
                    next[s] += rng.nextInt(5) == 0 ? 2 : 1;
                    if (!used.contains(addr)) return take(addr);
                }
            }
            for (int s = 0; s < subnets.length; s++) {
                for (int o = 2; o <= 254; o++) {
                    int addr = subnets[s] | o;
                    if (!used.contains(addr)) return take(addr);
                }
            }
            throw new IllegalStateException("local subnets are full");
        }

        private int take(int addr) {
            used.add(addr);
            return addr;
        }
    }
}
