package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.testing.Bench;
import io.gnnnids.simulator.AttackOverlay;
import io.gnnnids.simulator.GeneratedNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Detection on real networks the model never saw: a model trained on generated networks only (never on a real
 * capture, never tuned on one) scores every real capture in {@code data/iot23}, printed as
 * {@code bench.real.<capture>.dr} and {@code .fpr} at the model's own threshold (1 % of the validation networks'
 * benign flows). The held-out generated networks give {@code bench.generated.*}.
 *
 * <p>Baseline mode, {@code bench.real.baseline.<capture>.fpr} (and {@code .dr} where the capture has attacks): the
 * first half of each capture, its labels ignored and its attacks left in, is the baseline ({@link Baseline}:
 * screened by the generated-only model, attacks generated onto its hosts); the model trained on it and the
 * generated networks scores the second half. Sizes come from {@code -Dnids.real.networks} (default 12) and
 * {@code -Dnids.real.flows} (flows per network, default 40,000); {@code -Dnids.real.seed} (default 7) is the
 * training seed, for the spread between draws of the same data (never to pick one by its figures here).
 */
@Tag("bench")
class RealCapturesBenchmark {

    @Test
    void generatedOnlyModelOnRealCaptures() throws IOException {
        int networks = Integer.getInteger("nids.real.networks", 12);
        long flows = Long.getLong("nids.real.flows", 40_000);
        long seed = Long.getLong("nids.real.seed", 7);
        List<GeneratedNetworks.Network> generated =
                GeneratedNetworks.generate(1, networks, flows, CrossNetworkModelTest.WINDOW);
        TrainingRun.Split split = GeneratedNetworks.split(generated, 0.15, 0.15);
        TrainingRun.Outcome o = TrainingRun.run(
                split,
                BenchTraining.config(seed),
                NodeKey.IP,
                CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                e -> {});
        Metrics t = o.test();
        Bench.print("bench.generated.dr", t.recall(), "");
        Bench.print("bench.generated.fpr", t.falsePositiveRate(), "");
        System.out.printf(
                "# %d generated networks (%d train / %d validation / %d test flows): test PR-AUC %.4f "
                        + "ROC-AUC %.4f threshold %.4f best epoch %d%n",
                networks,
                split.flows(split.train()),
                split.flows(split.validation()),
                split.flows(split.test()),
                t.prAuc(),
                t.rocAuc(),
                o.threshold(),
                o.result().bestEpoch());
        t.families()
                .forEach((f, r) -> System.out.printf(
                        "# held-out networks: detection rate %-26s %.4f (%d of %d)%n",
                        f, r.rate(), r.detected(), r.count()));
        try (Detector detector = o.detector(CrossNetworkModelTest.WINDOW)) {
            for (Path capture : captures()) {
                List<Flow> real = read(capture);
                report("bench.real." + captureName(capture), capture, real, detector);
            }
            for (Path capture : captures()) {
                List<Flow> real = read(capture);
                List<Flow> firstHalf = real.subList(0, real.size() / 2);
                List<Flow> secondHalf = real.subList(real.size() / 2, real.size());
                List<Flow> unlabelled =
                        firstHalf.stream().map(f -> f.withLabel(null, null)).toList();
                Baseline.Prepared prepared = Baseline.prepare(
                        unlabelled, split, detector, AttackOverlay.drawnFrom(7), CrossNetworkModelTest.WINDOW);
                java.util.Set<String> attackUids = new java.util.HashSet<>();
                firstHalf.stream().filter(f -> Flow.MALICIOUS.equals(f.label())).forEach(f -> attackUids.add(f.uid()));
                long attacksLeftIn = attackUids.size();
                long attacksLeftOut = prepared.screened().leftOut().stream()
                        .filter(s -> attackUids.contains(s.flow().uid()))
                        .count();
                System.out.printf(
                        "# baseline %s: %d flows (%d of them attacks), %d left out by the screen (%d attacks), "
                                + "%d attack flows generated%n",
                        capture.getFileName(),
                        firstHalf.size(),
                        attacksLeftIn,
                        prepared.screened().leftOut().size(),
                        attacksLeftOut,
                        prepared.attacks());
                TrainingRun.Outcome b = TrainingRun.run(
                        prepared.split(),
                        BenchTraining.config(seed),
                        NodeKey.IP,
                        CrossNetworkModelTest.WINDOW,
                        OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                        e -> {});
                try (Detector tuned = b.detector(CrossNetworkModelTest.WINDOW)) {
                    report("bench.real.baseline." + captureName(capture), capture, secondHalf, tuned);
                }
            }
        }
    }

    private static void report(String name, Path capture, List<Flow> flows, Detector detector) {
        Metrics m = Metrics.of(detector.score(flows), labels(flows), families(flows), detector.threshold());
        if (m.tp() + m.fn() > 0) Bench.print(name + ".dr", m.recall(), "");
        Bench.print(name + ".fpr", m.falsePositiveRate(), "");
        System.out.printf(
                "# %s %s: %d flows, %d attacks, %d benign; flagged %d attacks and %d benign; ROC-AUC %.4f%n",
                name,
                capture.getFileName(),
                flows.size(),
                m.tp() + m.fn(),
                m.fp() + m.tn(),
                m.tp(),
                m.fp(),
                m.rocAuc());
    }

    /** The real labelled captures of data/iot23 (-Dnids.iot23.dir), by name. */
    static List<Path> captures() throws IOException {
        Path dir = Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"));
        try (var files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .toList();
        }
    }

    /** "CTU-Malware-Capture-8-1-labeled.csv" -> "ctu-malware-capture-8-1". */
    static String captureName(Path capture) {
        String name = capture.getFileName().toString().toLowerCase(Locale.ROOT);
        name = name.replaceFirst("\\.[a-z]+$", "").replaceFirst("\\.conn\\.log(\\.labeled)?$", "");
        return name.replaceFirst("-labeled$", "").replaceAll("[^a-z0-9-]+", "-");
    }

    /** The capture's flows in time order. */
    static List<Flow> read(Path capture) throws IOException {
        List<Flow> flows = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(capture, FlowFormat.AUTO)) {
            r.forEachRemaining(i -> {
                if (i.flow() != null) flows.add(i.flow());
            });
        }
        flows.sort(Comparator.comparingDouble(Flow::ts));
        return flows;
    }

    static int[] labels(List<Flow> flows) {
        return flows.stream()
                .mapToInt(f -> Flow.MALICIOUS.equals(f.label()) ? 1 : f.label() == null ? -1 : 0)
                .toArray();
    }

    static String[] families(List<Flow> flows) {
        return flows.stream().map(Flow::detailedLabel).toArray(String[]::new);
    }
}
