package io.gnnnids.core.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.model.Metrics;
import io.gnnnids.core.model.OperatingPoint;
import io.gnnnids.core.model.TrainConfig;
import io.gnnnids.core.model.TrainingData;
import io.gnnnids.core.model.TrainingRun;
import io.gnnnids.core.store.TestFlows;
import io.gnnnids.core.testing.MlflowServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ModelTrainingTest {

    @RegisterExtension
    static final MlflowServerExtension server = new MlflowServerExtension();

    private static final Duration WINDOW = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private static Metrics metrics(double prAuc, double f1) {
        // The gate reads only the F1 and the PR-AUC.
        return new Metrics(0.5, 0, 0, 0, 0, 0, 0, 0, f1, 0, 0.9, prAuc, Map.of());
    }

    @Test
    void theGateRefusesOnPrAucFirstThenF1() {
        ModelTraining.Gate gate = new ModelTraining.Gate(0.8, 0.5);
        assertNull(gate.failure(metrics(0.9, 0.6)));
        assertEquals("test PR-AUC 0.7000 is below --min-pr-auc 0.80", gate.failure(metrics(0.7, 0.9)));
        assertEquals("test F1 0.4000 is below --min-f1 0.50", gate.failure(metrics(0.9, 0.4)));
        assertEquals(
                "test PR-AUC NaN is below --min-pr-auc 0.80",
                gate.failure(metrics(Double.NaN, 0.9)),
                "a test set without attacks has no PR-AUC: it does not pass");
        assertNull(
                new ModelTraining.Gate(0.8, 0.5).failure(metrics(1.0, 0.5)),
                "a perfect ranking at the F1 limit passes");
    }

    private static TrainingRun.Split split() {
        // Every fifth flow is labelled an attack; ten seconds apart, the flows fill five 10-minute windows.
        List<Flow> flows = TestFlows.flows("C", 300, 1_700_000_400.0, 10);
        return TrainingRun.chronological(
                TrainingData.of(flows, flows.size(), WINDOW).windows(), 0.6, 0.2);
    }

    private ModelTraining.Result train(Mlflow mlflow, ModelTraining.Gate gate) throws Exception {
        TrainingRun.Split split = split();
        return new ModelTraining(mlflow, "m", new ModelCache(dir.resolve("models")))
                .train(
                        split,
                        TrainConfig.defaults(7).withMaxEpochs(2),
                        NodeKey.IP,
                        WINDOW,
                        OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                        new ModelTraining.Sources(
                                TrainingData.of(List.of(), 300, WINDOW),
                                LocalDate.parse("2023-11-14"),
                                LocalDate.parse("2023-11-14"),
                                0,
                                0,
                                null,
                                null),
                        gate,
                        true,
                        false);
    }

    @Test
    void aRunIsRecordedAndOnlyAModelThatPassesTheGateIsRegisteredAndPromoted() throws Exception {
        try (Mlflow mlflow = new Mlflow(server.trackingUri())) {
            ModelTraining.Result refused = train(mlflow, new ModelTraining.Gate(1.01, 0));
            assertFalse(refused.passedGate());
            assertNull(refused.version(), "a refused model is not registered");
            assertTrue(mlflow.versionByAlias("m", Mlflow.CHAMPION).isEmpty());
            assertTrue(mlflow.runMetrics(refused.runId()).containsKey("test_pr_auc"), "the run is still recorded");

            ModelTraining.Result passed = train(mlflow, new ModelTraining.Gate(0, 0));
            assertTrue(passed.passedGate());
            assertTrue(passed.promoted());
            assertEquals("1", passed.version(), "the first version registered");
            assertEquals(
                    "1",
                    mlflow.versionByAlias("m", Mlflow.CHAMPION).orElseThrow().version());
            assertEquals("2", mlflow.runParams(passed.runId()).get("max_epochs"));
            assertEquals(
                    String.valueOf(passed.threshold()),
                    mlflow.runParams(passed.runId()).get("threshold"));
        }
    }
}
