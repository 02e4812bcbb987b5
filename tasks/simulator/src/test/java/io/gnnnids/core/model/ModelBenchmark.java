package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureSpec;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.testing.Bench;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The model figures of {@code make bench}, printed as {@code bench.<name> <value> <unit>} lines, on generated
 * traffic: a training epoch over 1,000,000 flows, graph building + scoring of 200,000 flows, and the quality of a
 * model trained on one generated network and tested on another.
 */
@Tag("bench")
class ModelBenchmark {

    @Test
    void epochOverAMillionFlows() {
        List<List<Flow>> windows =
                CrossNetworkModelTest.windows(CrossNetworkModelTest.generate(21, 1_000_000, 7, "2026-05-04T00:00:00Z"));
        FeatureSpec spec = GraphBuilder.fit(windows, NodeKey.IP, GraphBuilder.DEFAULT_TOP_SERVICES);
        List<EdgeGraph> graphs = TrainingRun.graphs(new GraphBuilder(spec), windows);
        windows = null; // the graphs are all the epoch needs
        List<Double> epochSeconds = new ArrayList<>();
        TrainResult r = new Trainer(e -> epochSeconds.add(e.seconds()))
                .train(graphs, List.of(), TrainConfig.defaults(1).withMaxEpochs(2));
        r.model().close();
        // The second epoch: the first also pays for the engine's warm-up.
        Bench.print("bench.train.epoch_s", epochSeconds.get(epochSeconds.size() - 1), "s");
        System.out.printf("# epochs over %d graphs of 1,000,000 flows took %s s%n", graphs.size(), epochSeconds);
    }

    @Test
    void graphBuildAndScoringThroughputAndCrossNetworkQuality() {
        List<List<Flow>> seen =
                CrossNetworkModelTest.windows(CrossNetworkModelTest.generate(11, 100_000, 2, "2026-06-01T00:00:00Z"));
        TrainingRun.Split byTime = TrainingRun.chronological(seen, 0.8, 0.2);
        List<Flow> unseenFlows = CrossNetworkModelTest.generate(12, 200_000, 1, "2026-06-04T00:00:00Z");
        List<List<Flow>> unseen = CrossNetworkModelTest.windows(unseenFlows);
        TrainingRun.Outcome o = TrainingRun.run(
                new TrainingRun.Split(byTime.train(), byTime.validation(), unseen),
                TrainConfig.defaults(7),
                NodeKey.IP,
                CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                e -> {});
        Metrics t = o.test();
        Bench.print("bench.model.f1", t.f1(), "");
        Bench.print("bench.model.fpr", t.falsePositiveRate(), "");
        System.out.printf(
                "# trained on network seed 11 (100k flows, 2 days), tested on network seed 12 (200k flows): "
                        + "precision %.4f detection rate %.4f ROC-AUC %.4f PR-AUC %.4f threshold %.3f best epoch %d%n",
                t.precision(),
                t.recall(),
                t.rocAuc(),
                t.prAuc(),
                o.threshold(),
                o.result().bestEpoch());
        t.families()
                .forEach((f, r) -> System.out.printf(
                        "# detection rate %-26s %.4f (%d of %d)%n", f, r.rate(), r.detected(), r.count()));

        Detector detector = o.detector(CrossNetworkModelTest.WINDOW);
        // As infer runs: scores, and an explanation for every flagged flow (about a tenth of this network's traffic).
        double explained = median("scoring and explaining", () -> detector.scoreAndExplain(List.of(), unseenFlows));
        Bench.print("bench.infer.flows_per_s", unseenFlows.size() / explained, "flows/s");
        // What explanations cost when 1 % of the flows are flagged: the same model, its threshold at the 99th
        // percentile of the scores, against scoring alone, timed in turn in this run.
        float[] scores = detector.score(unseenFlows).clone();
        java.util.Arrays.sort(scores);
        ModelBundle.Card card = o.card(CrossNetworkModelTest.WINDOW, null);
        Detector onePercent = new Detector(
                o.model(),
                new ModelBundle.Card(
                        card.architecture(),
                        card.features(),
                        scores[(int) (0.99 * scores.length)],
                        card.window(),
                        null,
                        card.familyHead()));
        // This machine's speed drifts between passes: the two are timed in pairs, in alternating order, and the cost
        // is the median over the pairs of how much slower the pair's explaining pass was.
        onePercent.score(unseenFlows);
        onePercent.scoreAndExplain(List.of(), unseenFlows);
        double[] plain = new double[7];
        double[] cost = new double[plain.length];
        for (int i = 0; i < plain.length; i++) {
            double explaining;
            if (i % 2 == 0) {
                plain[i] = seconds(() -> onePercent.score(unseenFlows));
                explaining = seconds(() -> onePercent.scoreAndExplain(List.of(), unseenFlows));
            } else {
                explaining = seconds(() -> onePercent.scoreAndExplain(List.of(), unseenFlows));
                plain[i] = seconds(() -> onePercent.score(unseenFlows));
            }
            cost[i] = 1 - plain[i] / explaining;
        }
        System.out.printf(
                "# 1 %% flagged: scoring alone %s s; throughput lost to explaining %s%n",
                java.util.Arrays.toString(plain), java.util.Arrays.toString(cost));
        java.util.Arrays.sort(plain);
        java.util.Arrays.sort(cost);
        Bench.print("bench.infer.scoring_only_flows_per_s", unseenFlows.size() / plain[plain.length / 2], "flows/s");
        Bench.print("bench.infer.explanation_cost", cost[cost.length / 2], "");
        detector.close();
    }

    private static double seconds(Runnable pass) {
        long t0 = System.nanoTime();
        pass.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * One pass of 200,000 flows takes well under a second, so one timing is at the mercy of a single hiccup (a
     * collection, the JIT, another process): after a warm-up pass, the median of three passes, in seconds.
     */
    private static double median(String what, Runnable pass) {
        pass.run();
        double[] seconds = new double[3];
        for (int i = 0; i < seconds.length; i++) seconds[i] = seconds(pass);
        System.out.printf("# %s: %s s (median reported)%n", what, java.util.Arrays.toString(seconds));
        double[] sorted = seconds.clone();
        java.util.Arrays.sort(sorted);
        return sorted[1];
    }
}
