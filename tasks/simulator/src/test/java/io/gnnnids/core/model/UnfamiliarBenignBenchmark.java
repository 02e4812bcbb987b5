package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.testing.Bench;
import io.gnnnids.simulator.AttackOverlay;
import io.gnnnids.simulator.GeneratedNetworks;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.TrafficGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benign behaviour the training networks never showed: a real network always has some. Training networks lose
 * every flow of a few benign kinds (local discovery and broadcast, IPv6 link-local, ICMP, time sync); the held-out
 * networks keep them. Printed: {@code bench.unfamiliar.fpr} on those flows, {@code bench.unfamiliar.familiar_fpr}
 * on the other benign flows and {@code bench.unfamiliar.dr}, at the model's own threshold. Then baseline mode on
 * the held-out network, as {@code RealCapturesBenchmark} does on the real captures: {@code bench.unfamiliar.baseline.*}
 * on its second half, and {@code bench.unfamiliar.small_baseline.*} on a home of one device (1,400 flows, a small
 * baseline beside the generated networks, as a single device's capture is). Last,
 * {@code bench.unfamiliar.infected_home_<hosts>.*}: homes of one and two devices sending 80 % attack traffic beside
 * their own, which no training network does (they hold 3 % to 28 % attacks), and {@code .baseline.*} on each: its
 * first half, attacks left in, as the baseline of its second half, as a capture of an infected device would be (the
 * Hakai capture's first half is 78 % C&C). Each report also lists what stricter cuts than the threshold
 * would flag and detect, and the infected devices' own benign flows flagged, by protocol and port. Generated data
 * only: this is where transfer to new networks and baseline training are developed. {@code -Dnids.real.seed}
 * (default 7) is the training seed and {@code -Dnids.real.draw} (default 3) draws the networks themselves: a
 * change is judged over several of both, as one draw of either can move these figures tenfold.
 */
@Tag("bench")
class UnfamiliarBenignBenchmark {

    static final Predicate<Flow> UNFAMILIAR = f -> Flow.BENIGN.equals(f.label())
            && (f.respH().startsWith("ff02:")
                    || f.respH().startsWith("224.")
                    || f.respH().startsWith("239.")
                    || f.respH().endsWith(".255")
                    || f.origH().startsWith("fe80:")
                    || f.origH().equals("0.0.0.0")
                    || "icmp".equals(f.proto())
                    || f.respP() == 123);

    @Test
    void benignKindsNeverSeenInTraining() {
        int networks = Integer.getInteger("nids.real.networks", 10);
        long flows = Long.getLong("nids.real.flows", 30_000);
        long seed = Long.getLong("nids.real.seed", 7);
        long draw = Long.getLong("nids.real.draw", 3);
        List<GeneratedNetworks.Network> generated =
                GeneratedNetworks.generate(draw, networks, flows, CrossNetworkModelTest.WINDOW);
        TrainingRun.Split full = GeneratedNetworks.split(generated, 0.15, 0.15);
        TrainingRun.Split split = new TrainingRun.Split(
                without(full.train()), without(full.validation()), full.test(), keptPerSource(full));
        TrainingRun.Outcome o = TrainingRun.run(
                split,
                BenchTraining.config(seed),
                NodeKey.IP,
                CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                e -> {});
        List<Flow> testFlows = new ArrayList<>();
        split.test().forEach(testFlows::addAll);
        try (Detector detector = o.detector(CrossNetworkModelTest.WINDOW)) {
            report("bench.unfamiliar", testFlows, detector.score(testFlows), o.threshold());
            System.out.printf(
                    "# threshold %.4f; test PR-AUC %.4f%n",
                    o.threshold(), o.test().prAuc());

            baseline("bench.unfamiliar.baseline", testFlows, split, detector, seed);

            // The same on a home of one benign device, a few hundred flows a half: a small baseline beside the
            // generated networks, as a single device's capture is.
            List<Flow> device = new ArrayList<>();
            new TrafficGenerator(new GeneratorOptions(1_400, 1, 1, Instant.parse("2026-03-02T00:00:00Z"), 0, 2_001))
                    .forEachRemaining(device::add);
            baseline("bench.unfamiliar.small_baseline", device, split, detector, seed);

            // A home whose one or two devices are infected and send mostly attack traffic, beside their own DNS,
            // NTP and cloud traffic: training networks hold at most 28 % attacks.
            for (int hosts = 1; hosts <= 2; hosts++) {
                List<Flow> home = new ArrayList<>();
                new TrafficGenerator(new GeneratorOptions(
                                20_000, hosts, 1, Instant.parse("2026-03-02T00:00:00Z"), 0.8, 1_000 + hosts))
                        .forEachRemaining(home::add);
                report("bench.unfamiliar.infected_home_" + hosts, home, detector.score(home), o.threshold());
                // Its first half as a baseline, attacks left in: what a capture of an infected device gives.
                baseline("bench.unfamiliar.infected_home_" + hosts + ".baseline", home, split, detector, seed);
            }
        }
    }

    /**
     * Baseline mode on {@code network}: its first half, labels ignored and attacks left in, is the baseline; the
     * second half is scored by the model trained on it and the generated networks, and reported as {@code name}.
     */
    private static void baseline(
            String name, List<Flow> network, TrainingRun.Split generated, Detector screen, long seed) {
        List<Flow> firstHalf = network.subList(0, network.size() / 2);
        List<Flow> secondHalf = network.subList(network.size() / 2, network.size());
        Baseline.Prepared prepared = Baseline.prepare(
                firstHalf.stream().map(f -> f.withLabel(null, null)).toList(),
                generated,
                screen,
                AttackOverlay.drawnFrom(7),
                CrossNetworkModelTest.WINDOW);
        long attacksLeftIn =
                firstHalf.stream().filter(f -> Flow.MALICIOUS.equals(f.label())).count();
        Set<String> leftOut = new HashSet<>();
        prepared.screened().leftOut().forEach(s -> leftOut.add(s.flow().uid()));
        long attacksLeftOut = firstHalf.stream()
                .filter(f -> Flow.MALICIOUS.equals(f.label()) && leftOut.contains(f.uid()))
                .count();
        System.out.printf(
                "# %s: %d flows (%d of them attacks), %d left out by the screen (%d attacks, %d benign)%n",
                name, firstHalf.size(), attacksLeftIn, leftOut.size(), attacksLeftOut, leftOut.size() - attacksLeftOut);
        TrainingRun.Outcome b = TrainingRun.run(
                prepared.split(),
                BenchTraining.config(seed),
                NodeKey.IP,
                CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                e -> {});
        try (Detector tuned = b.detector(CrossNetworkModelTest.WINDOW)) {
            report(name, secondHalf, tuned.score(secondHalf), b.threshold());
        }
    }

    /** Where {@link #counts} counts a flow: unfamiliar benign, familiar benign, attack. */
    private static final int UNFAMILIAR_BENIGN = 0, FAMILIAR_BENIGN = 1, ATTACK = 2;

    /** Prints {@code <name>.fpr} on unfamiliar benign flows, {@code .familiar_fpr} on the others and {@code .dr}. */
    private static void report(String name, List<Flow> flows, float[] scores, double threshold) {
        int[] kinds = new int[flows.size()];
        for (int i = 0; i < kinds.length; i++) {
            Flow f = flows.get(i);
            kinds[i] = Flow.MALICIOUS.equals(f.label())
                    ? ATTACK
                    : UNFAMILIAR.test(f) ? UNFAMILIAR_BENIGN : FAMILIAR_BENIGN;
        }
        long[] all = new long[3];
        for (int k : kinds) all[k]++;
        long[] flagged = counts(kinds, scores, threshold);
        Bench.print(name + ".fpr", (double) flagged[UNFAMILIAR_BENIGN] / all[UNFAMILIAR_BENIGN], "");
        Bench.print(name + ".familiar_fpr", (double) flagged[FAMILIAR_BENIGN] / all[FAMILIAR_BENIGN], "");
        if (all[ATTACK] > 0) Bench.print(name + ".dr", (double) flagged[ATTACK] / all[ATTACK], "");
        System.out.printf(
                "# %s: %d unfamiliar benign flows, %d familiar, %d attacks%n",
                name, all[UNFAMILIAR_BENIGN], all[FAMILIAR_BENIGN], all[ATTACK]);
        // Stricter cuts than the threshold: whether an operating point alone could take a figure to its target, and
        // at what cost in detection.
        StringBuilder cuts = new StringBuilder();
        for (double cut : new double[] {threshold, 0.7, 0.9, 0.97, 0.99, 0.999}) {
            if (cut < threshold) continue;
            long[] c = counts(kinds, scores, cut);
            cuts.append(String.format(" %.4f: %d/%d/%d;", cut, c[UNFAMILIAR_BENIGN], c[FAMILIAR_BENIGN], c[ATTACK]));
        }
        System.out.printf("# %s: flagged unfamiliar/familiar/attacks at cut%s%n", name, cuts);
        reportInfectedDevicesOwn(name, flows, scores, threshold);
    }

    /** How many flows of each kind score {@code cut} or more. */
    private static long[] counts(int[] kinds, float[] scores, double cut) {
        long[] c = new long[3];
        for (int i = 0; i < kinds.length; i++) {
            if (scores[i] >= cut) c[kinds[i]]++;
        }
        return c;
    }

    /**
     * The infected devices' own benign flows flagged, by protocol and responder port: on the real captures, most of
     * the benign flows flagged are the infected device's own.
     */
    private static void reportInfectedDevicesOwn(String name, List<Flow> flows, float[] scores, double threshold) {
        Set<String> attackers = new HashSet<>();
        for (Flow f : flows) if (Flow.MALICIOUS.equals(f.label())) attackers.add(f.origH());
        Map<String, long[]> own = new TreeMap<>();
        for (int i = 0; i < scores.length; i++) {
            Flow f = flows.get(i);
            if (Flow.MALICIOUS.equals(f.label()) || !attackers.contains(f.origH())) continue;
            long[] c = own.computeIfAbsent(f.proto() + "/" + (f.respP() < 1024 ? f.respP() : "high"), k -> new long[2]);
            c[0]++;
            if (scores[i] >= threshold) c[1]++;
        }
        StringBuilder kinds = new StringBuilder();
        own.forEach((k, c) -> kinds.append(String.format(" %s %d/%d", k, c[1], c[0])));
        System.out.printf("# %s: the infected devices' own benign flows, flagged/all:%s%n", name, kinds);
    }

    /** How many validation windows of each source {@link #without} keeps. */
    private static List<Integer> keptPerSource(TrainingRun.Split split) {
        List<Integer> kept = new ArrayList<>();
        int at = 0;
        for (int n : split.validationSources()) {
            kept.add(without(split.validation().subList(at, at + n)).size());
            at += n;
        }
        return kept;
    }

    private static List<List<Flow>> without(List<List<Flow>> windows) {
        List<List<Flow>> out = new ArrayList<>();
        for (List<Flow> w : windows) {
            List<Flow> kept = w.stream().filter(UNFAMILIAR.negate()).toList();
            if (!kept.isEmpty()) out.add(kept);
        }
        return out;
    }
}
