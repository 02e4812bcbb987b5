package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.mlflow.Mlflow;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.testing.MlflowServerExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * train and infer against a real MLflow server, a cold store and a DuckDB hot store filled with generated traffic:
 * registry and alias, the quality gate, scoring exactly the unpredicted rows, the cached champion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelPipelineTest {

    @RegisterExtension
    static final MlflowServerExtension mlflow = new MlflowServerExtension();

    @TempDir
    static Path tmp;

    static Path cold;
    static Path duckdb;
    static Path work;
    static final String MODEL = "nids-test";
    static final String END = ModelFixture.END;
    static final int FLOWS = 30_000;

    @BeforeAll
    static void data() throws Exception {
        cold = tmp.resolve("cold");
        duckdb = tmp.resolve("hot.duckdb");
        work = tmp.resolve("work");
        ModelFixture.store(tmp, ModelFixture.traffic(41, FLOWS), cold, duckdb, "b1");
    }

    StepRunner.Result train(String coldUri, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--cold-uri",
                coldUri,
                "--end-date",
                END,
                "--days",
                "3",
                "--tracking-uri",
                mlflow.trackingUri(),
                "--model-name",
                MODEL,
                "--work-dir",
                work.toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--max-epochs")) args.addAll(List.of("--max-epochs", "20"));
        if (!args.contains("--min-pr-auc")) args.addAll(List.of("--min-pr-auc", "0.8"));
        return StepRunner.inProcess("train", args.toArray(String[]::new));
    }

    StepRunner.Result infer(String trackingUri, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--duckdb",
                duckdb.toString(),
                "--tracking-uri",
                trackingUri,
                "--model-name",
                MODEL,
                "--work-dir",
                work.toString(),
                "--batch-size",
                "12000"));
        args.addAll(List.of(extra));
        return StepRunner.inProcess("infer", args.toArray(String[]::new));
    }

    static long count(String where) throws Exception {
        return value("SELECT count(*) FROM flows WHERE " + where);
    }

    static long value(String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void tooLittleLabelledDataIsNothingToDo() throws Exception {
        Path small = tmp.resolve("cold-small");
        ModelFixture.store(tmp, ModelFixture.traffic(42, 300), small, null, "small");
        StepRunner.Result r = train(small.toString());
        assertEquals(99, r.exitCode(), r.toString());
        assertTrue(r.err().contains("too little labelled data"), r.toString());
    }

    @Test
    @Order(2)
    void qualityGateFailsAModelThatCannotReachTheThreshold() throws Exception {
        // Labels that have nothing to do with the traffic: no model can reach the gate.
        Random random = new Random(5);
        List<Flow> noise = new ArrayList<>();
        for (Flow f : ModelFixture.traffic(43, 6_000)) {
            String label = random.nextDouble() < 0.3 ? Flow.MALICIOUS : Flow.BENIGN;
            noise.add(f.withLabel(label, null));
        }
        Path noisy = tmp.resolve("cold-noise");
        ModelFixture.store(tmp, noise, noisy, null, "noise");
        StepRunner.Result r = train(noisy.toString(), "--min-pr-auc", "0.95", "--max-epochs", "5");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("quality gate failed: test PR-AUC"), r.toString());
        try (Mlflow m = new Mlflow(mlflow.trackingUri())) {
            assertTrue(m.versionByAlias(MODEL, "champion").isEmpty(), "no champion from a failed gate");
        }
    }

    @Test
    @Order(3)
    void trainRegistersTheChampionWithItsArtifacts() throws Exception {
        StepRunner.Result r = train(cold.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Manifest m = Manifest.read(r.manifest());
        assertEquals(MODEL + "/1", m.outputs().get("model_version"));
        try (Mlflow client = new Mlflow(mlflow.trackingUri())) {
            assertEquals(
                    "1", client.versionByAlias(MODEL, "champion").orElseThrow().version());
            String run = m.outputs().get("mlflow_run");
            var metrics = client.runMetrics(run);
            for (String k : List.of(
                    "test_f1",
                    "test_precision",
                    "test_recall",
                    "test_fpr",
                    "test_roc_auc",
                    "test_pr_auc",
                    "test_accuracy",
                    "train_loss",
                    "val_loss",
                    "val_f1",
                    "test_detection_rate.DDoS",
                    "test_family_accuracy",
                    "test_family_accuracy.DDoS")) {
                assertTrue(metrics.containsKey(k), k + " logged: " + metrics.keySet());
            }
            assertTrue(metrics.get("test_f1") >= 0.8, "test F1 " + metrics.get("test_f1"));
            Path card = tmp.resolve("card/model.json");
            client.downloadArtifact(client.artifactUri(run), "model/model.json", card);
            String json = Files.readString(card);
            assertTrue(
                    json.contains("\"threshold\"")
                            && json.contains("\"features\"")
                            && json.contains("\"architecture\"")
                            && json.contains("\"family_head\""),
                    "model.json holds the model and its family head");
        }
    }

    @Test
    @Order(4)
    void aNewVersionBecomesChampionOnlyIfBetterUnlessAlways() throws Exception {
        StepRunner.Result same = train(cold.toString());
        assertEquals(0, same.exitCode(), same.toString());
        try (Mlflow client = new Mlflow(mlflow.trackingUri())) {
            assertEquals(
                    "1",
                    client.versionByAlias(MODEL, "champion").orElseThrow().version(),
                    "the same data and seed give the same model, which is not better than the champion");
            StepRunner.Result always = train(cold.toString(), "--promote", "always");
            assertEquals(0, always.exitCode(), always.toString());
            assertEquals(
                    "3", client.versionByAlias(MODEL, "champion").orElseThrow().version());
        }
    }

    @Test
    @Order(5)
    void inferScoresExactlyTheUnpredictedFlowsAndARerunChangesNothing() throws Exception {
        StepRunner.Result first = infer(mlflow.trackingUri());
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(12_000, count("prediction IS NOT NULL"));
        assertEquals(12_000, count("model_version = '3' AND score BETWEEN 0 AND 1 AND predicted_at IS NOT NULL"));

        StepRunner.Result second = infer(mlflow.trackingUri());
        StepRunner.Result third = infer(mlflow.trackingUri());
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(0, third.exitCode(), third.toString());
        assertEquals(FLOWS, count("prediction IS NOT NULL"));
        assertEquals(6_000, Manifest.read(third.manifest()).count("updated"));
        // Every flagged flow is in one incident of its source host, and each run counted the incidents it started.
        long flagged = count("prediction = 1");
        assertEquals(flagged, count("prediction = 1 AND uid IN (SELECT uid FROM incident_flows)"));
        assertEquals(flagged, count("uid IN (SELECT uid FROM incident_flows)"));
        assertEquals(count("orig_h IN (SELECT host FROM incidents) AND prediction = 1"), flagged);
        long started = 0;
        for (StepRunner.Result r : List.of(first, second, third))
            started += Manifest.read(r.manifest()).count("incidents_new");
        assertEquals(started, value("SELECT count(*) FROM incidents"));
        assertEquals(flagged, value("SELECT sum(flows) FROM incidents"));

        String before = snapshot();
        StepRunner.Result again = infer(mlflow.trackingUri());
        assertEquals(99, again.exitCode(), again.toString());
        assertEquals(before, snapshot(), "a re-run changes nothing");

        // Every flagged flow, and only those, has its explanation and family; the families are the labels' names.
        assertEquals(flagged, count("prediction = 1 AND explanation IS NOT NULL AND predicted_family IS NOT NULL"));
        assertEquals(0, count("prediction = 0 AND (explanation IS NOT NULL OR predicted_family IS NOT NULL)"));
        assertEquals(
                flagged,
                count("prediction = 1 AND json_array_length(explanation -> '$.reasons') >= 1 "
                        + "AND (explanation ->> '$.source.flows')::BIGINT >= 1"));
        long named = count("prediction = 1 AND label = 'malicious' AND predicted_family = detailed_label");
        long flaggedAttacks = count("prediction = 1 AND label = 'malicious'");
        assertTrue(
                named > 0.5 * flaggedAttacks,
                named + " of " + flaggedAttacks + " flagged attacks named by their family");

        long right = count("(prediction = 1) = (label = 'malicious')");
        assertTrue(right > 0.9 * FLOWS, right + " of " + FLOWS + " predictions agree with the ground truth");
    }

    @Test
    @Order(6)
    void inferFallsBackToTheCachedChampionWhenMlflowIsDown() throws Exception {
        ModelFixture.store(tmp, ModelFixture.traffic(44, 2_000), tmp.resolve("cold-more"), duckdb, "b2");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        StepRunner.Result r = infer("http://127.0.0.1:" + closed);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(FLOWS + 2_000, count("prediction IS NOT NULL"));

        ModelFixture.store(tmp, ModelFixture.traffic(45, 500), tmp.resolve("cold-more2"), duckdb, "b3");
        StepRunner.Result noCache = StepRunner.inProcess(
                "infer",
                "--duckdb",
                duckdb.toString(),
                "--tracking-uri",
                "http://127.0.0.1:" + closed,
                "--model-name",
                MODEL,
                "--work-dir",
                tmp.resolve("empty-work").toString());
        assertEquals(1, noCache.exitCode(), noCache.toString());
        assertTrue(
                noCache.err().contains("cannot reach MLflow") && noCache.err().contains("no champion"),
                noCache.toString());
    }

    private static String snapshot() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*), sum(prediction), sum(score), max(predicted_at)::VARCHAR FROM "
                                + "flows")) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getDouble(3) + "/" + rs.getString(4);
        }
    }
}
