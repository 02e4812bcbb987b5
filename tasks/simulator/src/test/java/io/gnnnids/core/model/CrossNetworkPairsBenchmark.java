package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.testing.Bench;
import io.gnnnids.simulator.GeneratedNetworks;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Quality across networks for several seed pairs, printed as {@code bench.cross.<train>_<test>.<metric>} lines:
 * trained as {@code train --synthetic-networks} trains, on {@code -Dnids.cross.networks} (default 8) generated
 * networks of about {@code -Dnids.cross.flows} (default 25,000) flows drawn from the first seed, validated on those
 * of them it does not train on, and tested on 200,000 flows of the network of the second seed, with the detection
 * rate per family at the model's own threshold. {@code -Dnids.cross.networks=1} trains on 100,000 flows (2 days) of
 * the first seed's network alone, split by time: the hardest case, one address plan and one port per campaign.
 * The pairs come from {@code -Dnids.cross.pairs=11:12,21:22} (default 1:2, 11:12 and 21:22).
 * {@code .family_accuracy} is the share of the unseen network's attack flows whose family the family head names right.
 * {@code bench.cross.min_family_dr} is how well the model ranks each family on the network it never saw: the
 * lowest detection rate of any family in any pair at the threshold that flags 1 % of that network's benign flows.
 */
@Tag("bench")
class CrossNetworkPairsBenchmark {

    @Test
    void trainedOnOneNetworkTestedOnAnother() {
        double lowest = 1;
        for (String pair :
                System.getProperty("nids.cross.pairs", "1:2,11:12,21:22").split(",")) {
            String[] seeds = pair.trim().split(":");
            lowest = Math.min(lowest, measure(Long.parseLong(seeds[0]), Long.parseLong(seeds[1])));
        }
        Bench.print("bench.cross.min_family_dr", lowest, "");
    }

    /** Prints a pair's figures; returns its lowest family detection rate. */
    private static double measure(long trainSeed, long testSeed) {
        List<List<Flow>> unseen = CrossNetworkModelTest.windows(
                CrossNetworkModelTest.generate(testSeed, 200_000, 1, "2026-06-04T00:00:00Z"));
        TrainingRun.Split seen = seen(trainSeed);
        TrainingRun.Outcome o = TrainingRun.run(
                new TrainingRun.Split(seen.train(), seen.validation(), unseen, seen.validationSources()),
                BenchTraining.config(7),
                NodeKey.IP,
                CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                e -> {});
        Metrics t = o.test();
        String name = "bench.cross." + trainSeed + "_" + testSeed;
        Bench.print(name + ".f1", t.f1(), "");
        Bench.print(name + ".fpr", t.falsePositiveRate(), "");
        System.out.printf(
                "# seed %d -> %d: precision %.4f detection rate %.4f ROC-AUC %.4f threshold %.3f best epoch %d%n",
                trainSeed,
                testSeed,
                t.precision(),
                t.recall(),
                t.rocAuc(),
                o.threshold(),
                o.result().bestEpoch());
        t.families()
                .forEach((f, r) -> System.out.printf(
                        "# detection rate %-26s %.4f (%d of %d)%n", f, r.rate(), r.detected(), r.count()));
        Bench.print(name + ".family_accuracy", o.familyAccuracyOverall(), "");
        o.familyAccuracy()
                .forEach((f, a) -> System.out.printf(
                        "# family named right %-26s %.4f (%d of %d)%n", f, a.rate(), a.correct(), a.count()));
        // The same scores at the threshold that flags 1 % of the unseen network's benign flows.
        GraphBuilder builder = new GraphBuilder(o.spec());
        List<EdgeGraph> graphs = TrainingRun.graphs(builder, unseen);
        float[] scores = TrainingRun.scoreAll(o.model(), graphs);
        int[] labels = TrainingRun.labels(graphs);
        o.model().close();
        Metrics at1 =
                Metrics.of(scores, labels, TrainingRun.families(unseen), Metrics.thresholdForFpr(scores, labels, 0.01));
        at1.families().forEach((f, r) -> System.out.printf("# at 1 %% FPR: detection rate %-26s %.4f%n", f, r.rate()));
        return at1.families().values().stream()
                .mapToDouble(Metrics.FamilyRate::rate)
                .min()
                .orElse(1);
    }

    /** The training and validation windows drawn from the training seed (its test part is not used). */
    private static TrainingRun.Split seen(long trainSeed) {
        int networks = Integer.getInteger("nids.cross.networks", 8);
        if (networks == 1) {
            return TrainingRun.chronological(
                    CrossNetworkModelTest.windows(
                            CrossNetworkModelTest.generate(trainSeed, 100_000, 2, "2026-06-01T00:00:00Z")),
                    0.8,
                    0.2);
        }
        return GeneratedNetworks.split(
                GeneratedNetworks.generate(
                        trainSeed, networks, Long.getLong("nids.cross.flows", 25_000), CrossNetworkModelTest.WINDOW),
                0.15,
                0.15);
    }
}
