package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.graph.NodeKey;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Detection on real networks the model never saw: a model trained on generated networks only (never on a real
 * capture, never tuned on one) scores every real capture in {@code data/iot23}, printed as
 * {@code bench.real.<capture>.dr} and {@code .fpr} at the model's own threshold (1 % of the validation networks'
 * benign flows). The held-out generated networks give {@code bench.generated.*}. Sizes come from
 * {@code -Dnids.real.networks} (default 12) and {@code -Dnids.real.flows} (flows per network, default 40,000).
 */
@Tag("bench")
class RealCapturesBenchmark {

    @Test
    void generatedOnlyModelOnRealCaptures() throws IOException {
        int networks = Integer.getInteger("nids.real.networks", 12);
        long flows = Long.getLong("nids.real.flows", 40_000);
        List<GeneratedNetworks.Network> generated = GeneratedNetworks.generate(1, networks, flows,
                CrossNetworkModelTest.WINDOW);
        TrainingRun.Split split = GeneratedNetworks.split(generated, 0.15, 0.15);
        TrainingRun.Outcome o = TrainingRun.run(split, TrainConfig.defaults(7), NodeKey.IP, CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR), e -> { });
        Metrics t = o.test();
        ModelBenchmark.print("bench.generated.dr", t.recall(), "");
        ModelBenchmark.print("bench.generated.fpr", t.falsePositiveRate(), "");
        System.out.printf("# %d generated networks (%d train / %d validation / %d test flows): test PR-AUC %.4f "
                        + "ROC-AUC %.4f threshold %.4f best epoch %d%n", networks, split.flows(split.train()),
                split.flows(split.validation()), split.flows(split.test()), t.prAuc(), t.rocAuc(), o.threshold(),
                o.result().bestEpoch());
        t.families().forEach((f, r) -> System.out.printf("# held-out networks: detection rate %-26s %.4f (%d of %d)%n",
                f, r.rate(), r.detected(), r.count()));
        try (Detector detector = new Detector(o.model(), new ModelBundle.Card(o.model().architecture(), o.spec(),
                o.threshold(), CrossNetworkModelTest.WINDOW, null))) {
            for (Path capture : captures()) {
                List<Flow> real = read(capture);
                Metrics m = Metrics.of(detector.score(real), labels(real), families(real), detector.threshold());
                String name = "bench.real." + captureName(capture);
                if (m.tp() + m.fn() > 0) ModelBenchmark.print(name + ".dr", m.recall(), "");
                ModelBenchmark.print(name + ".fpr", m.falsePositiveRate(), "");
                System.out.printf("# %s: %d flows, %d attacks, %d benign; flagged %d attacks and %d benign; ROC-AUC %.4f%n",
                        capture.getFileName(), real.size(), m.tp() + m.fn(), m.fp() + m.tn(), m.tp(), m.fp(), m.rocAuc());
            }
        }
    }

    /** The real labelled captures of data/iot23 (-Dnids.iot23.dir), by name. */
    static List<Path> captures() throws IOException {
        Path dir = Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"));
        try (var files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
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
        return flows.stream().mapToInt(f -> Flow.MALICIOUS.equals(f.label()) ? 1 : f.label() == null ? -1 : 0).toArray();
    }

    static String[] families(List<Flow> flows) {
        return flows.stream().map(Flow::detailedLabel).toArray(String[]::new);
    }
}
