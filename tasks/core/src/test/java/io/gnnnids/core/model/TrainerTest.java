package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.graph.EdgeGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static List<EdgeGraph> learnable(long seed, int graphs) {
        Random random = new Random(seed);
        List<EdgeGraph> list = new ArrayList<>();
        for (int i = 0; i < graphs; i++) list.add(TestGraphs.learnable(random, 60, 400));
        return list;
    }

    private static double accuracy(EGraphSage model, EdgeGraph g) {
        float[] scores = model.score(g);
        int right = 0;
        for (int i = 0; i < g.edges(); i++) {
            if ((scores[i] > 0.5f ? 1 : 0) == g.labels()[i]) right++;
        }
        return right / (double) g.edges();
    }

    private static TrainConfig small(long seed) {
        return TrainConfig.defaults(seed).withHidden(32).withLearningRate(0.01).withMaxEpochs(60);
    }

    @Test
    void learnsLabelsThatFollowFromEdgeFeatures() {
        TrainResult result = new Trainer().train(learnable(1, 6), learnable(2, 2), small(42));
        try (EGraphSage model = result.model()) {
            double accuracy = accuracy(model, learnable(3, 1).get(0));
            assertTrue(accuracy > 0.95, "accuracy on unseen graph " + accuracy);
        }
    }

    @Test
    void sameSeedAndDataGiveIdenticalWeights() {
        // Large enough (E x hidden above PyTorch's grain size) for its kernels to run on several threads.
        Random random = new Random(1);
        List<EdgeGraph> train =
                List.of(TestGraphs.learnable(random, 300, 3000), TestGraphs.learnable(random, 300, 3000));
        List<EdgeGraph> validation = List.of(TestGraphs.learnable(random, 300, 3000));
        EdgeGraph probe = TestGraphs.learnable(random, 300, 3000);
        TrainConfig cfg = TrainConfig.defaults(5).withMaxEpochs(3);
        try (EGraphSage a = new Trainer().train(train, validation, cfg).model();
                EGraphSage b = new Trainer().train(train, validation, cfg).model();
                EGraphSage c = new Trainer()
                        .train(train, validation, TrainConfig.defaults(6).withMaxEpochs(3))
                        .model()) {
            float[][] weightsA = a.snapshot();
            float[][] weightsB = b.snapshot();
            for (int i = 0; i < weightsA.length; i++) assertArrayEquals(weightsA[i], weightsB[i]);
            assertArrayEquals(a.score(probe), b.score(probe));
            assertFalse(Arrays.equals(a.score(probe), c.score(probe)), "another seed, another model");
        }
    }

    @Test
    void stopsEarlyAndRestoresWeightsOfBestValidationEpoch() {
        Random random = new Random(11);
        List<EdgeGraph> train = List.of(TestGraphs.noise(random, 40, 300), TestGraphs.noise(random, 40, 300));
        EdgeGraph validation = TestGraphs.noise(random, 40, 300);
        List<EpochReport> reports = new ArrayList<>();
        TrainConfig cfg = TrainConfig.defaults(3)
                .withLearningRate(0.01)
                .withMaxEpochs(200)
                .withPatience(5);

        TrainResult result = new Trainer(reports::add).train(train, List.of(validation), cfg);

        try (EGraphSage model = result.model()) {
            assertTrue(result.stoppedEarly(), "noise cannot improve validation loss for long");
            assertEquals(result.bestEpoch() + cfg.patience(), reports.size());
            EpochReport best = reports.get(result.bestEpoch() - 1);
            assertEquals(best.validationLoss(), result.bestValidationLoss());
            double minimum = reports.stream()
                    .mapToDouble(EpochReport::validationLoss)
                    .min()
                    .orElseThrow();
            assertEquals(minimum, result.bestValidationLoss());
            assertArrayEquals(best.validationScores().get(0), model.score(validation));
            assertNotEquals(reports.get(reports.size() - 1).validationLoss(), best.validationLoss());
        }
    }

    @Test
    void reportsEveryEpochWithValidationScoresPerGraph() {
        List<EpochReport> reports = new ArrayList<>();
        List<EdgeGraph> validation = learnable(2, 2);
        TrainResult result = new Trainer(reports::add)
                .train(learnable(1, 2), validation, small(1).withMaxEpochs(3).withPatience(10));
        result.model().close();
        assertEquals(3, reports.size());
        assertEquals(3, result.history().size());
        for (EpochReport r : reports) {
            assertEquals(2, r.validationScores().size());
            assertEquals(validation.get(0).edges(), r.validationScores().get(0).length);
            assertTrue(r.trainLoss() > 0 && r.validationLoss() > 0);
        }
    }

    @Test
    void ignoresUnknownAndUnscoredEdgesInClassWeights() {
        EdgeGraph g = new EdgeGraph(
                2,
                6,
                new float[2],
                1,
                new float[6],
                1,
                new int[6],
                new int[6],
                new int[] {0, 0, 0, 1, -1, 1},
                new boolean[] {true, true, true, true, true, false});
        double[] weights = Trainer.classWeights(List.of(g));
        assertArrayEquals(new double[] {4 / 6.0, 4 / 2.0}, weights, 1e-12);
    }

    @Test
    void refusesTrainingGraphsWithoutLabels() {
        EdgeGraph g = new EdgeGraph(2, 1, new float[2], 1, new float[1], 1, new int[1], new int[1], null, null);
        assertThrows(IllegalArgumentException.class, () -> new Trainer().train(List.of(g), List.of(), small(1)));
    }
}
