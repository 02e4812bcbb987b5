package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.mlflow.Mlflow;
import io.gnnnids.core.model.Baseline;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.testing.MlflowServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * train --baseline through the jar, on a real network's flows with their labels taken away (the IoT-23 Echo
 * capture, a one-device home): the period's flows become the benign class after screening, attacks are generated
 * onto the capture's own hosts, and the version is registered with what the baseline held.
 */
class BaselineTrainingPipelineTest {

    @RegisterExtension
    static final MlflowServerExtension mlflow = new MlflowServerExtension();

    @TempDir
    static Path tmp;

    static Path cold;
    static final String MODEL = "nids-baseline";
    static final String DAY = "2018-09-21";
    static int flows;

    @BeforeAll
    static void unlabelledCapture() throws Exception {
        Path capture = Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"))
                .resolve("CTU-Honeypot-Capture-5-1-labeled.csv");
        List<Flow> unlabelled = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(capture, FlowFormat.AUTO)) {
            r.forEachRemaining(i -> unlabelled.add(i.flow().withLabel(null, null)));
        }
        flows = unlabelled.size();
        cold = tmp.resolve("cold");
        ModelFixture.store(tmp, unlabelled, cold, null, "echo");
    }

    StepRunner.Result train(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--cold-uri",
                cold.toString(),
                "--days",
                "0",
                "--tracking-uri",
                mlflow.trackingUri(),
                "--model-name",
                MODEL,
                "--work-dir",
                tmp.resolve("work").toString(),
                "--synthetic-networks",
                "3",
                "--synthetic-flows",
                "4000",
                "--max-epochs",
                "3",
                "--min-pr-auc",
                "0"));
        args.addAll(List.of(extra));
        return StepRunner.javaJar("train", Map.of(), args.toArray(String[]::new));
    }

    @Test
    void learnsTheNetworksOwnTrafficWithoutLabels() throws Exception {
        StepRunner.Result r = train("--baseline", DAY + ".." + DAY);
        assertEquals(0, r.exitCode(), r.toString());
        Manifest m = Manifest.read(r.manifest());
        assertEquals(MODEL + "/1", m.outputs().get("model_version"));
        String runId = String.valueOf(m.outputs().get("mlflow_run"));
        try (Mlflow client = new Mlflow(mlflow.trackingUri())) {
            Map<String, String> params = client.runParams(runId);
            assertEquals(String.valueOf(flows), params.get("baseline_flows"), params.toString());
            long leftOut = Long.parseLong(params.get("baseline_left_out"));
            assertTrue(leftOut >= 0 && leftOut < flows, params.toString());
            assertTrue(Long.parseLong(params.get("baseline_attacks")) >= 2_000, params.toString());
            // A baseline's screen needs generated networks: at least Baseline.DEFAULT_NETWORKS, whatever was asked.
            assertEquals(String.valueOf(Baseline.DEFAULT_NETWORKS), params.get("synthetic_networks"));
            Path report = tmp.resolve("left_out.json");
            client.downloadArtifact(client.artifactUri(runId), "baseline_left_out.json", report);
            JsonNode json = new ObjectMapper().readTree(report.toFile());
            assertEquals(leftOut, json.path("left_out").asLong());
            assertEquals(Math.min(leftOut, 200), json.path("flows").size());
        }
    }

    @Test
    void aPeriodWithoutFlowsIsNothingToDo() throws Exception {
        StepRunner.Result r = train("--baseline", "2018-09-23..2018-09-24");
        assertEquals(99, r.exitCode(), r.toString());
        assertTrue(r.err().contains("too few flows in the baseline"), r.toString());
    }

    @Test
    void aPeriodThatEndsBeforeItStartsIsAUsageError() throws Exception {
        StepRunner.Result r = train("--baseline", "2018-09-24..2018-09-21");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("ends before it starts"), r.toString());
    }
}
