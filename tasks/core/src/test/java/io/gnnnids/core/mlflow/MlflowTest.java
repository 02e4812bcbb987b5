package io.gnnnids.core.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.testing.MlflowServerExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

/** Tracking, registry, aliases and proxied artifacts against a real mlflow server. */
class MlflowTest {

    @RegisterExtension
    static final MlflowServerExtension server = new MlflowServerExtension();

    @TempDir
    Path tmp;

    @Test
    void logsParamsAndMetricsAndReadsThemBack() {
        try (Mlflow mlflow = new Mlflow(server.trackingUri())) {
            String exp = mlflow.experimentId("tracking-test");
            assertEquals(exp, mlflow.experimentId("tracking-test"), "the experiment is created once");
            String run = mlflow.startRun(exp, "r1").getRunId();
            mlflow.logParams(run, Map.of("hidden", "128", "dropout", "0.2"));
            mlflow.logMetric(run, "val_loss", 0.5, 0);
            mlflow.logMetric(run, "val_loss", 0.25, 1);
            mlflow.logMetric(run, "undefined", Double.NaN, 0);
            mlflow.logMetrics(run, Map.of("test_f1", 0.97, "test_detection_rate.C_C", 1.0));
            mlflow.endRun(run, true);
            Map<String, Double> metrics = mlflow.runMetrics(run);
            assertEquals(0.25, metrics.get("val_loss"));
            assertEquals(0.97, metrics.get("test_f1"));
            assertTrue(!metrics.containsKey("undefined"), "NaN metrics are not logged");
        }
    }

    @Test
    void uploadsAndDownloadsArtifactsThroughTheServer() throws Exception {
        Path file = tmp.resolve("model.json");
        Files.writeString(file, "{\"threshold\": 0.5}");
        try (Mlflow mlflow = new Mlflow(server.trackingUri())) {
            String run =
                    mlflow.startRun(mlflow.experimentId("artifacts-test"), "r").getRunId();
            mlflow.uploadArtifact(run, "model/model.json", file);
            Path back = tmp.resolve("back/model.json");
            mlflow.downloadArtifact(mlflow.artifactUri(run), "model/model.json", back);
            assertEquals(Files.readString(file), Files.readString(back));
            assertThrows(
                    StepFailure.class,
                    () -> mlflow.downloadArtifact(mlflow.artifactUri(run), "model/none", tmp.resolve("x")));
        }
    }

    @Test
    void registersVersionsAndMovesTheChampionAlias() throws Exception {
        Path params = tmp.resolve("model.params");
        Path card = tmp.resolve("model.json");
        Files.write(params, new byte[] {1, 2, 3});
        Files.writeString(card, "{}");
        try (Mlflow mlflow = new Mlflow(server.trackingUri())) {
            String exp = mlflow.experimentId("registry-test");
            mlflow.ensureRegisteredModel("m");
            mlflow.ensureRegisteredModel("m");
            assertTrue(mlflow.versionByAlias("m", "champion").isEmpty());
            assertTrue(mlflow.versionByAlias("no-such-model", "champion").isEmpty());

            Service.RunInfo run = mlflow.startRun(exp, "v1");
            mlflow.uploadArtifact(run.getRunId(), "model/model.params", params);
            mlflow.uploadArtifact(run.getRunId(), "model/model.json", card);
            ModelVersionInfo v1 =
                    mlflow.createModelVersion("m", mlflow.artifactUri(run.getRunId()) + "/model", run.getRunId());
            assertEquals("1", v1.version());
            mlflow.setAlias("m", "champion", v1.version());
            assertEquals(
                    "1", mlflow.versionByAlias("m", "champion").orElseThrow().version());
            assertEquals(run.getRunId(), mlflow.version("m", "1").runId());

            ModelCache cache = new ModelCache(tmp.resolve("cache"));
            Path dir = cache.fetch(mlflow, v1);
            assertEquals(3, Files.size(dir.resolve("model.params")));
            assertEquals(dir, cache.fetch(mlflow, v1), "a cached version is not fetched again");

            String run2 = mlflow.startRun(exp, "v2").getRunId();
            ModelVersionInfo v2 = mlflow.createModelVersion("m", mlflow.artifactUri(run2) + "/model", run2);
            mlflow.setAlias("m", "champion", v2.version());
            assertEquals(
                    "2", mlflow.versionByAlias("m", "champion").orElseThrow().version());
            StepFailure missing = assertThrows(StepFailure.class, () -> mlflow.version("m", "99"));
            assertFalse(missing instanceof MlflowUnreachable, "a server that answers is not unreachable");
        }
    }

    @Test
    void anUnreachableServerGivesAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Mlflow mlflow = new Mlflow("http://127.0.0.1:" + port)) {
            // Its own type: steps with a cached champion go on with it on this failure, and only on this one.
            MlflowUnreachable e = assertThrows(MlflowUnreachable.class, () -> mlflow.experimentId("x"));
            assertTrue(e.getMessage().startsWith("cannot reach MLflow at http://127.0.0.1:" + port), e.getMessage());
            assertTrue(e.getMessage().contains("MLFLOW_TRACKING_URI"), e.getMessage());
        }
    }
}
