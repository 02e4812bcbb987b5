package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.NodeKey;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Benign behaviour the training networks never showed: a real network always has some. Training networks lose
 * every flow of a few benign kinds (local discovery and broadcast, IPv6 link-local, ICMP, time sync); the held-out
 * networks keep them. Printed: {@code bench.unfamiliar.fpr} on those flows, {@code bench.unfamiliar.familiar_fpr}
 * on the other benign flows and {@code bench.unfamiliar.dr}, at the model's own threshold. Generated data only.
 */
@Tag("bench")
class UnfamiliarBenignBenchmark {

    static final Predicate<Flow> UNFAMILIAR = f -> Flow.BENIGN.equals(f.label()) && (
            f.respH().startsWith("ff02:") || f.respH().startsWith("224.") || f.respH().startsWith("239.")
                    || f.respH().endsWith(".255") || f.origH().startsWith("fe80:") || f.origH().equals("0.0.0.0")
                    || "icmp".equals(f.proto()) || f.respP() == 123);

    @Test
    void benignKindsNeverSeenInTraining() {
        int networks = Integer.getInteger("nids.real.networks", 10);
        long flows = Long.getLong("nids.real.flows", 30_000);
        List<GeneratedNetworks.Network> generated = GeneratedNetworks.generate(3, networks, flows,
                CrossNetworkModelTest.WINDOW);
        TrainingRun.Split full = GeneratedNetworks.split(generated, 0.15, 0.15);
        TrainingRun.Split split = new TrainingRun.Split(without(full.train()), without(full.validation()), full.test());
        TrainingRun.Outcome o = TrainingRun.run(split, TrainConfig.defaults(7), NodeKey.IP, CrossNetworkModelTest.WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR), e -> { });
        List<EdgeGraph> graphs = TrainingRun.graphs(new GraphBuilder(o.spec()), split.test());
        float[] scores = TrainingRun.scoreAll(o.model(), graphs);
        o.model().close();
        List<Flow> testFlows = new ArrayList<>();
        split.test().forEach(testFlows::addAll);
        long unfamiliar = 0, unfamiliarFlagged = 0, familiar = 0, familiarFlagged = 0, attacks = 0, detected = 0;
        for (int i = 0; i < scores.length; i++) {
            Flow f = testFlows.get(i);
            boolean flagged = scores[i] >= o.threshold();
            if (Flow.MALICIOUS.equals(f.label())) {
                attacks++;
                if (flagged) detected++;
            } else if (UNFAMILIAR.test(f)) {
                unfamiliar++;
                if (flagged) unfamiliarFlagged++;
            } else {
                familiar++;
                if (flagged) familiarFlagged++;
            }
        }
        ModelBenchmark.print("bench.unfamiliar.fpr", (double) unfamiliarFlagged / unfamiliar, "");
        ModelBenchmark.print("bench.unfamiliar.familiar_fpr", (double) familiarFlagged / familiar, "");
        ModelBenchmark.print("bench.unfamiliar.dr", (double) detected / attacks, "");
        System.out.printf("# %d unfamiliar benign flows, %d familiar, %d attacks; threshold %.4f; test PR-AUC %.4f%n",
                unfamiliar, familiar, attacks, o.threshold(), o.test().prAuc());
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
