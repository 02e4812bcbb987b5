package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Labelled Zeek conn records of a simulated network, streamed in time order. Exactly {@code flows} records
 * spread over {@code days} days from {@code start}: working-day traffic following the network's day and week,
 * device telemetry and time sync around the clock, the local chatter of every real network (discovery, DHCP,
 * ICMP, IPv6 link-local, background scanning; see {@link LocalTraffic}), a nightly backup, and attack episodes
 * making up about {@code attackRatio} of the records. Records are made one minute at a time, so memory stays bounded
 * whatever the total.
 */
public final class TrafficGenerator implements Iterator<Flow> {

    private static final double SLICE_SECONDS = 60;
    private static final long COAP_BLOCK = 1_024;

    private final GeneratorOptions options;
    private final NetworkModel net;
    private final SplittableRandom rng;
    private final FlowFactory factory;
    private final BenignActivity benign;
    private final DayCurve curve;
    private final double start;
    private final double end;
    private final long slices;
    private final long diurnalTotal;
    private final double curveTotal;
    private final List<FlowStream> pending;
    private final List<FlowStream> active = new ArrayList<>();
    private final List<Flow> buffer = new ArrayList<>();
    private int pendingIndex;
    private int bufferIndex;
    private long slice;
    private double curveSoFar;
    private long diurnalSoFar;
    private long produced;

    public TrafficGenerator(GeneratorOptions options) {
        this(options, NetworkModel.build(options.hosts(), options.seed()));
    }

    public TrafficGenerator(GeneratorOptions options, NetworkModel net) {
        this.options = options;
        this.net = net;
        this.rng = new SplittableRandom(NetworkModel.mix(options.seed() ^ 0x74726166666963L));
        this.factory = new FlowFactory(rng, options.seed());
        this.benign = new BenignActivity(net, factory);
        this.start = options.start().getEpochSecond();
        this.end = start + options.days() * 86_400.0;
        this.slices = options.days() * 1_440L;
        this.curve = new DayCurve(net);

        long attacks = options.attackFlows();
        long benignFlows = options.flows() - attacks;
        long periodicFlows = Math.round(benignFlows * net.periodicShare);
        long backupFlows = Math.round(benignFlows * (0.002 + 0.004 * rng.nextDouble()));
        if (net.byRole(Role.FILE_SERVER).isEmpty()) backupFlows = 0;
        long localFlows = Math.round(benignFlows * net.localShare);
        this.diurnalTotal = benignFlows - periodicFlows - backupFlows - localFlows;

        List<FlowStream> streams = new ArrayList<>();
        streams.addAll(deviceStreams(periodicFlows));
        streams.addAll(backupStreams(backupFlows));
        streams.addAll(new LocalTraffic(net, start, end).streams(localFlows, rng));
        streams.addAll(AttackPlan.build(net, rng, start, end, attacks));
        streams.sort(Comparator.comparingDouble(FlowStream::nextTime));
        this.pending = streams;

        double total = 0;
        for (long i = 0; i < slices; i++) total += curve.level(sliceMid(i), i);
        this.curveTotal = total;
    }

    public NetworkModel network() {
        return net;
    }

    public GeneratorOptions options() {
        return options;
    }

    @Override
    public boolean hasNext() {
        return produced < options.flows();
    }

    @Override
    public Flow next() {
        if (!hasNext()) throw new NoSuchElementException("all " + options.flows() + " flows were generated");
        while (bufferIndex >= buffer.size()) {
            if (slice >= slices) {
                throw new IllegalStateException("generator ran out of time slices after " + produced + " flows");
            }
            fillSlice();
        }
        produced++;
        Flow f = buffer.get(bufferIndex);
        buffer.set(bufferIndex++, null);
        return f;
    }

    /** Counts of flows per detailed label, benign flows under "benign"; handy for reports and checks. */
    public static Map<String, Long> countByLabel(Iterator<Flow> flows) {
        Map<String, Long> counts = new TreeMap<>();
        while (flows.hasNext()) {
            Flow f = flows.next();
            String key = f.detailedLabel() == null ? Flow.BENIGN : f.detailedLabel();
            counts.merge(key, 1L, Long::sum);
        }
        return counts;
    }

    private double sliceMid(long i) {
        return start + (i + 0.5) * SLICE_SECONDS;
    }

    private void fillSlice() {
        buffer.clear();
        bufferIndex = 0;
        double sliceStart = start + slice * SLICE_SECONDS;
        boolean last = slice == slices - 1;
        double sliceEnd = last ? Double.POSITIVE_INFINITY : sliceStart + SLICE_SECONDS;

        curveSoFar += curve.level(sliceMid(slice), slice);
        long upTo = last
                ? diurnalTotal
                : Math.min(diurnalTotal, (long) Math.floor(diurnalTotal * (curveSoFar / curveTotal)));
        int count = (int) Math.max(0, upTo - diurnalSoFar);
        diurnalSoFar += count;
        benign.fill(sliceStart, SLICE_SECONDS, count, buffer);

        while (pendingIndex < pending.size() && pending.get(pendingIndex).nextTime() < sliceEnd) {
            active.add(pending.get(pendingIndex++));
        }
        for (int i = 0; i < active.size(); i++) {
            FlowStream s = active.get(i);
            while (s.hasNext() && s.nextTime() < sliceEnd) {
                buffer.add(s.emit(factory));
            }
        }
        active.removeIf(s -> !s.hasNext());
        buffer.sort(Comparator.comparingDouble(Flow::ts));
        slice++;
    }

    /**
     * Telemetry of every IoT device with the name lookups before it, and time sync of devices, servers and some
     * clients, around the clock. Infected devices keep all of it: their own traffic stays benign.
     */
    private List<FlowStream> deviceStreams(long total) {
        List<Host> hosts = new ArrayList<>();
        List<Character> kind = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (Host h : net.iotDevices()) {
            double rate = net.telemetry(h).rate() * h.activity();
            hosts.add(h);
            kind.add('t');
            weights.add(rate);
            hosts.add(h);
            kind.add('d');
            weights.add(rate * (0.2 + 0.5 * rng.nextDouble()));
            if (rng.nextInt(3) > 0 || net.bots().contains(h)) {
                hosts.add(h);
                kind.add('n');
                weights.add(0.2 + 0.3 * rng.nextDouble());
            }
        }
        for (Host h : net.internalHosts()) {
            if (!h.role().isIot() && (h.role().isServer() || rng.nextInt(4) == 0)) {
                hosts.add(h);
                kind.add('n');
                weights.add(0.05 + 0.1 * rng.nextDouble());
            }
        }
        double[] w = new double[weights.size()];
        for (int i = 0; i < w.length; i++) w[i] = weights.get(i);
        long[] counts = Apportion.byWeights(total, w);
        List<FlowStream> out = new ArrayList<>();
        double span = end - start;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            double period = span / counts[i];
            double first = start + rng.nextDouble() * period;
            double jitter = 0.01 + 0.15 * rng.nextDouble();
            Host h = hosts.get(i);
            FlowStream.Maker maker = switch (kind.get(i)) {
                case 'n' -> ntp(h);
                case 'd' -> lookups(h);
                default -> telemetry(h);
            };
            out.add(FlowStream.periodic(first, counts[i], period, jitter, end, maker));
        }
        return out;
    }

    /** A device resolving its cloud's names at its resolver (the gateway or the DNS server). */
    private FlowStream.Maker lookups(Host h) {
        Host resolver = net.resolverFor(h);
        double failShare = 0.01 + 0.05 * rng.nextDouble();
        return (ts, f) -> LocalTraffic.dns(f, ts, h, resolver, failShare);
    }

    /**
     * Time sync: firmware SNTP asks one server; ntpd and chrony with a pool line keep four to ten of the pool's
     * servers, query them in turn and swap one now and then.
     */
    private FlowStream.Maker ntp(Host h) {
        boolean pool = rng.nextInt(3) > 0;
        Host[] servers = new Host[pool ? 4 + rng.nextInt(7) : 1];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = pool ? Sampling.any(net.ntpPoolServers, rng) : Sampling.any(net.ntpPool, rng);
        }
        boolean fixedPort = !h.role().isClient();
        return (ts, f) -> {
            SplittableRandom r = f.rng();
            if (servers.length > 1 && r.nextInt(50) == 0)
                servers[r.nextInt(servers.length)] = Sampling.any(net.ntpPoolServers, r);
            Host server = servers[r.nextInt(servers.length)];
            int sport = fixedPort ? 123 : f.sourcePort(h);
            boolean answered = r.nextInt(50) != 0;
            return f.udp(
                    ts,
                    h,
                    sport,
                    server,
                    123,
                    "ntp",
                    Sampling.logUniform(r, 0.001, 0.08),
                    48,
                    answered ? 48 : 0,
                    1,
                    answered ? 1 : 0,
                    null);
        };
    }

    private FlowStream.Maker telemetry(Host h) {
        NetworkModel.Telemetry t = net.telemetry(h);
        Host endpoint = Sampling.any(t.endpoints(), rng);
        return (ts, f) -> {
            SplittableRandom r = f.rng();
            int sport = f.sourcePort(h);
            long ob = Sampling.logUniform(r, t.origMin(), t.origMax());
            long rb = Sampling.logUniform(r, t.respMin(), t.respMax());
            if (t.port() == 5683) {
                // CoAP sends a payload larger than one block (at most 1,024 bytes) block by block, each block
                // acknowledged: a camera's upload is hundreds of datagrams each way, never one.
                long blocks = Math.max(1, (ob + COAP_BLOCK - 1) / COAP_BLOCK);
                double rtt = Sampling.logUniform(r, 0.01, 0.5);
                double d = blocks == 1 ? rtt : blocks * rtt / 10;
                return f.udp(ts, h, sport, endpoint, t.port(), null, d, ob, rb * blocks, blocks, blocks, null);
            }
            if ("ssl".equals(t.service())) {
                ob += 500 + r.nextInt(200);
                rb += 3_000 + r.nextInt(2_000);
            }
            double d = Sampling.logUniform(r, 0.05, 4.0);
            int u = r.nextInt(100);
            if (u < 2) return f.tcpNoAnswer(ts, h, sport, endpoint, t.port(), 2 + r.nextInt(2), 60, null);
            if (u < 5) return f.tcp(ts, h, sport, endpoint, t.port(), t.service(), "RSTR", "ShADadr", d, ob, rb, null);
            return f.tcp(ts, h, sport, endpoint, t.port(), t.service(), "SF", "ShADadFf", d, ob, rb, null);
        };
    }

    /** The file server's nightly upload to off-site backup: big benign uploads, the look-alike of exfiltration. */
    private List<FlowStream> backupStreams(long total) {
        List<FlowStream> out = new ArrayList<>();
        if (total == 0) return out;
        Host fileServer = net.byRole(Role.FILE_SERVER).get(0);
        Host target = net.backupTargets[0];
        int days = options.days();
        long[] perDay = Apportion.byWeights(total, uniform(days));
        double hour = 0.5 + 3 * rng.nextDouble();
        double speed = Sampling.logUniform(rng, 5_000_000.0, 80_000_000.0);
        for (int d = 0; d < days; d++) {
            if (perDay[d] == 0) continue;
            double localMidnight = start + d * 86_400.0 - net.utcOffsetHours * 3_600.0;
            double first = localMidnight + hour * 3_600;
            while (first < start) first += 86_400;
            while (first >= end) first -= 86_400;
            if (first < start) first = start;
            double gap = Math.min(3_600.0 * 2 / perDay[d], 30.0);
            out.add(FlowStream.poisson(first, perDay[d], gap, end, (ts, f) -> {
                SplittableRandom r = f.rng();
                long ob = Sampling.logUniform(r, 1_000_000, 2_000_000_000);
                return f.tcp(
                        ts,
                        fileServer,
                        f.sourcePort(fileServer),
                        target,
                        443,
                        "ssl",
                        "SF",
                        "ShADadFf",
                        ob / speed,
                        ob,
                        4_000 + r.nextInt(40_000),
                        null);
            }));
        }
        return out;
    }

    private static double[] uniform(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }
}
