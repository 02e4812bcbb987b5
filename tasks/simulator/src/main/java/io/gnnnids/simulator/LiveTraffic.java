package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network's traffic without end, for a live pipeline: one {@link TrafficGenerator} day after another on the same
 * network, each day as many flows as {@code rate} flows per second make, and each flow stamped with the moment it
 * is taken from the stream. The generator works a minute at a time and a day is dropped once streamed, so memory
 * stays bounded however long it runs.
 *
 * <p>The days start now, so the mix of traffic follows the network's local time of day (quiet nights of device
 * telemetry, busy working hours) while the flows come at a steady rate: a flow's timestamp is when it was sent,
 * not its place in the simulated day. Timestamps never go backwards. The seed picks the network; the traffic is
 * drawn from a seed of its own, different on every run, so two runs never send the same uids.
 */
public final class LiveTraffic implements Iterator<Flow> {

    private static final double SECONDS_PER_DAY = 86_400;

    private final NetworkModel net;
    private final int hosts;
    private final long flowsPerDay;
    private final double attackRatio;
    private final long trafficSeed;
    private final Clock clock;
    private final Instant start;
    private TrafficGenerator day;
    private long dayIndex;
    private double lastTs = Double.NEGATIVE_INFINITY;

    /**
     * @param hosts       hosts of the simulated network (as {@code replay generate --hosts})
     * @param seed        the network's seed
     * @param attackRatio share of attack flows, 0 to 1
     * @param rate        the flows per second the stream will be sent at, which sizes each simulated day
     * @param clock       the clock that stamps the flows and starts the first day
     * @throws IllegalArgumentException for an option out of range (the message names the option)
     */
    public static LiveTraffic start(int hosts, long seed, double attackRatio, double rate, Clock clock) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be above 0 to stream live traffic, got " + rate);
        }
        long flowsPerDay = Math.max(1, Math.round(rate * SECONDS_PER_DAY));
        // Validates the options before the network is built.
        new GeneratorOptions(flowsPerDay, hosts, 1, clock.instant(), attackRatio, seed);
        return new LiveTraffic(
                NetworkModel.build(hosts, seed),
                hosts,
                flowsPerDay,
                attackRatio,
                ThreadLocalRandom.current().nextLong(),
                clock);
    }

    LiveTraffic(NetworkModel net, int hosts, long flowsPerDay, double attackRatio, long trafficSeed, Clock clock) {
        this.net = net;
        this.hosts = hosts;
        this.flowsPerDay = flowsPerDay;
        this.attackRatio = attackRatio;
        this.trafficSeed = trafficSeed;
        this.clock = clock;
        this.start = clock.instant();
        this.day = nextDay();
    }

    public NetworkModel network() {
        return net;
    }

    /** Flows in one simulated day. */
    public long flowsPerDay() {
        return flowsPerDay;
    }

    /** How many simulated days were started so far (1 for the first). */
    public long days() {
        return dayIndex;
    }

    /** Always true: the stream ends when its reader stops. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Flow next() {
        if (!day.hasNext()) day = nextDay();
        Instant now = clock.instant();
        double ts = FlowStream.micros(now.getEpochSecond() + now.getNano() / 1e9);
        lastTs = Math.max(ts, lastTs);
        return day.next().withTs(lastTs);
    }

    private TrafficGenerator nextDay() {
        Instant dayStart = start.plus(dayIndex, ChronoUnit.DAYS);
        long seed = NetworkModel.mix(trafficSeed + dayIndex);
        dayIndex++;
        return new TrafficGenerator(new GeneratorOptions(flowsPerDay, hosts, 1, dayStart, attackRatio, seed), net);
    }
}
