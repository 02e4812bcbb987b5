package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureSpec;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.GraphWindows;
import io.gnnnids.core.graph.NodeKey;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The model figures of {@code make bench}, printed as {@code bench.<name> <value> <unit>} lines, on generated
 * traffic: a training epoch over 1,000,000 flows, graph building + scoring of 200,000 flows, and the quality of a
 * model trained on one generated network and tested on another.
 */
@Tag("bench")
class ModelBenchmark {

    static void print(String name, double value, String unit) {
        System.out.printf("%s %s %s%n", name, value >= 100 ? String.valueOf(Math.round(value)) : String.format("%.4f", value), unit);
        System.out.flush();
    }

    @Test
    void epochOverAMillionFlows() {
        List<List<Flow>> windows = CrossNetworkModelTest.windows(
                CrossNetworkModelTest.generate(21, 1_000_000, 7, "2026-05-04T00:00:00Z"));
        FeatureSpec spec = GraphBuilder.fit(windows, NodeKey.IP, GraphBuilder.DEFAULT_TOP_SERVICES);
        List<EdgeGraph> graphs = TrainingRun.graphs(new GraphBuilder(spec), windows);
        windows = null; // the graphs are all the epoch needs
        List<Double> epochSeconds = new ArrayList<>();
        TrainResult r = new Trainer(e -> epochSeconds.add(e.seconds()))
                .train(graphs, List.of(), TrainConfig.defaults(1).withMaxEpochs(2));
        r.model().close();
        // The second epoch: the first also pays for the engine's warm-up.
        print("bench.train.epoch_s", epochSeconds.get(epochSeconds.size() - 1), "s");
        System.out.printf("# epochs over %d graphs of 1,000,000 flows took %s s%n", graphs.size(), epochSeconds);
    }

    @Test
    void graphBuildAndScoringThroughputAndCrossNetworkQuality() {
        List<List<Flow>> seen = CrossNetworkModelTest.windows(CrossNetworkModelTest.generate(11, 100_000, 2, "2026-06-01T00:00:00Z"));
        TrainingRun.Split byTime = TrainingRun.chronological(seen, 0.8, 0.2);
        List<Flow> unseenFlows = CrossNetworkModelTest.generate(12, 200_000, 1, "2026-06-04T00:00:00Z");
        List<List<Flow>> unseen = CrossNetworkModelTest.windows(unseenFlows);
        TrainingRun.Outcome o = TrainingRun.run(new TrainingRun.Split(byTime.train(), byTime.validation(), unseen),
                TrainConfig.defaults(7), NodeKey.IP, CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR), e -> { });
        Metrics t = o.test();
        print("bench.model.f1", t.f1(), "");
        print("bench.model.fpr", t.falsePositiveRate(), "");
        System.out.printf("# trained on network seed 11 (100k flows, 2 days), tested on network seed 12 (200k flows): "
                        + "precision %.4f detection rate %.4f ROC-AUC %.4f PR-AUC %.4f threshold %.3f best epoch %d%n",
                t.precision(), t.recall(), t.rocAuc(), t.prAuc(), o.threshold(), o.result().bestEpoch());
        t.families().forEach((f, r) -> System.out.printf("# detection rate %-26s %.4f (%d of %d)%n", f, r.rate(),
                r.detected(), r.count()));

        Detector detector = o.detector(CrossNetworkModelTest.WINDOW);
        // One pass of 200,000 flows takes well under a second, so one timing is at the mercy of a single hiccup
        // (a collection, the JIT, another process): after a warm-up pass, the median of three passes.
        detector.score(unseenFlows);
        double[] seconds = new double[3];
        for (int i = 0; i < seconds.length; i++) {
            long t0 = System.nanoTime();
            detector.score(unseenFlows);
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = seconds.clone();
        java.util.Arrays.sort(sorted);
        print("bench.infer.flows_per_s", unseenFlows.size() / sorted[1], "flows/s");
        System.out.printf("# scoring %d flows took %s s (median reported)%n", unseenFlows.size(),
                java.util.Arrays.toString(seconds));
        detector.close();
    }
}
