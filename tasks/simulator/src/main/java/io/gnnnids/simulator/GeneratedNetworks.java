package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.GraphWindows;
import io.gnnnids.core.model.OperatingPoint;
import io.gnnnids.core.model.TrainingRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled traffic of several generated networks for one training run. One network teaches one address plan,
 * one device mix and one port per attack campaign; many teach what carries over. The networks differ in size
 * (from a home of a few devices to an office of hundreds), in their share of attacks and in their seed, and are
 * split by network: validation and test networks are ones training never saw, so early stopping and the
 * threshold are chosen for networks the model has not met, as in deployment. Each validation network is a source
 * of its own, so the operating point holds on every one of them ({@link OperatingPoint}).
 */
public final class GeneratedNetworks {

    /** Network sizes drawn from: small homes are as common in the wild as offices. */
    private static final int[] HOSTS = {1, 2, 3, 5, 8, 12, 20, 40, 80, 150, 300};

    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

    /** One generated network: its seed, size and windows. */
    public record Network(long seed, int hosts, long flows, List<List<Flow>> windows) {}

    private GeneratedNetworks() {}

    /**
     * {@code count} networks of about {@code flowsPerNetwork} flows each on average (small networks get fewer,
     * large ones more), drawn from {@code seed}.
     */
    public static List<Network> generate(long seed, int count, long flowsPerNetwork, Duration window) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x6E657473L);
        List<Network> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int hosts = Math.max(GeneratorOptions.MIN_HOSTS, HOSTS[rng.nextInt(HOSTS.length)]);
            long networkSeed = rng.nextLong(1, Long.MAX_VALUE);
            // Flows grow with the size of the network, about 0.3x to 2x the average.
            double scale = 0.3 + 1.7 * Math.log1p(hosts) / Math.log1p(HOSTS[HOSTS.length - 1]);
            long flows = Math.max(2_000, Math.round(flowsPerNetwork * scale));
            int days = 1 + rng.nextInt(2);
            double attackRatio = 0.03 + 0.25 * rng.nextDouble();
            GeneratorOptions o = new GeneratorOptions(
                    flows, hosts, days, START.plusSeconds(86_400L * 7 * i), attackRatio, networkSeed);
            List<Flow> flowList = new ArrayList<>((int) flows);
            new TrafficGenerator(o).forEachRemaining(flowList::add);
            out.add(new Network(
                    networkSeed,
                    hosts,
                    flows,
                    GraphWindows.byWindow(flowList.iterator(), window, GraphWindows.DEFAULT_MAX_EDGES)));
        }
        return out;
    }

    /**
     * The networks split by network: about {@code validationShare} and {@code testShare} of them (at least one
     * each, from three networks on) validate and test, the rest train. With fewer than three networks, each
     * network is split by time instead.
     */
    public static TrainingRun.Split split(List<Network> networks, double validationShare, double testShare) {
        if (networks.size() < 3) {
            TrainingRun.Split out = new TrainingRun.Split(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (Network n : networks) {
                out = out.plus(
                        TrainingRun.chronological(n.windows(), 1 - validationShare - testShare, validationShare));
            }
            return out;
        }
        int validation = Math.max(1, (int) Math.round(networks.size() * validationShare));
        int test = Math.max(1, (int) Math.round(networks.size() * testShare));
        List<List<Flow>> train = new ArrayList<>();
        List<List<Flow>> val = new ArrayList<>();
        List<List<Flow>> tst = new ArrayList<>();
        List<Integer> valSources = new ArrayList<>();
        for (int i = 0; i < networks.size(); i++) {
            List<List<Flow>> target = i < validation ? val : i < validation + test ? tst : train;
            target.addAll(networks.get(i).windows());
            if (i < validation) valSources.add(networks.get(i).windows().size());
        }
        return new TrainingRun.Split(train, val, tst, valSources);
    }
}
