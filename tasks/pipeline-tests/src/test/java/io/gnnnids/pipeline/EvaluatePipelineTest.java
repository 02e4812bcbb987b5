package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.evaluation.EvaluationTracking;
import io.gnnnids.core.mlflow.Mlflow;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.testing.MlflowServerExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/**
 * evaluate against a real MLflow server with a champion trained on generated traffic: the repository's two real
 * IoT-23 captures as a jar (figures, reports, the MLflow run), the report in a headless browser, a cold store
 * range, nothing labelled, bad options, MLflow down with the champion cached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluatePipelineTest {

    @RegisterExtension
    static final MlflowServerExtension mlflow = new MlflowServerExtension();

    @TempDir
    static Path tmp;

    static final String MODEL = "nids-eval";
    static final Path IOT23 = Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"));
    static final Path MALWARE = IOT23.resolve("CTU-Malware-Capture-8-1-labeled.csv");
    static final Path ECHO = IOT23.resolve("CTU-Honeypot-Capture-5-1-labeled.csv");
    static final ObjectMapper JSON = new ObjectMapper();
    static Path cold;
    static Path work;
    static final int FLOWS = 20_000;
    /** The HTML report of the real captures, for the browser check. */
    static Path html;

    @BeforeAll
    static void champion() throws Exception {
        cold = tmp.resolve("cold");
        work = tmp.resolve("work");
        ModelFixture.store(tmp, ModelFixture.traffic(41, FLOWS), cold, null, "b1");
        StepRunner.Result train = StepRunner.inProcess(
                "train",
                "--cold-uri",
                cold.toString(),
                "--end-date",
                ModelFixture.END,
                "--days",
                "3",
                "--tracking-uri",
                mlflow.trackingUri(),
                "--model-name",
                MODEL,
                "--work-dir",
                work.toString(),
                "--max-epochs",
                "10",
                "--min-pr-auc",
                "0.5",
                "--promote",
                "always");
        assertEquals(0, train.exitCode(), train.toString());
    }

    Map<String, String> env() {
        return Map.of(
                "MLFLOW_TRACKING_URI",
                mlflow.trackingUri(),
                "NIDS_MODEL_NAME",
                MODEL,
                "NIDS_WORK_DIR",
                work.toString());
    }

    StepRunner.Result evaluate(String... args) {
        List<String> all = new ArrayList<>(
                List.of("--tracking-uri", mlflow.trackingUri(), "--model-name", MODEL, "--work-dir", work.toString()));
        all.addAll(List.of(args));
        return StepRunner.inProcess("evaluate", all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void theRealCapturesAsAJarEachOnItsOwn() throws Exception {
        StepRunner.Result r = StepRunner.javaJar("evaluate", env(), "--input", MALWARE.toString(), ECHO.toString());
        Path manifestFile = JarContractTest.lastLineManifest(r, "evaluate");
        Manifest m = Manifest.read(manifestFile);
        assertEquals(10_403 + 1_374, m.count("flows"));
        assertEquals(8_222, m.count("attacks"));
        assertEquals(2_181 + 1_374, m.count("benign"));
        assertEquals(0, m.count("rejected"));
        assertEquals(MODEL + "/1", m.outputs().get("model"));

        JsonNode report =
                JSON.readTree(Path.of(m.outputs().get("evaluation_json")).toFile());
        assertEquals("1", report.path("model").path("version").asText());
        JsonNode overall = report.path("overall");
        JsonNode hakai = report.path("inputs").get(0);
        JsonNode echo = report.path("inputs").get(1);
        assertEquals("CTU-Malware-Capture-8-1-labeled", hakai.path("name").asText());
        assertEquals("CTU-Honeypot-Capture-5-1-labeled", echo.path("name").asText());
        JsonNode h = hakai.path("figures");
        JsonNode e = echo.path("figures");
        assertEquals(10_403, h.path("flows").asLong());
        assertEquals(8_222, h.path("attacks").asLong());
        assertEquals(2_181, h.path("benign").asLong());
        assertEquals(8_222, h.path("families").path("C&C").path("count").asLong());
        assertEquals(1_374, e.path("flows").asLong());
        assertEquals(0, e.path("attacks").asLong());
        assertTrue(e.path("detectionRate").isNull() && e.path("rocAuc").isNull(), e.toString());
        assertTrue(e.path("roc").isEmpty(), "no curve without attacks");
        for (JsonNode f : List.of(h, e, overall)) {
            long attacks = f.path("attacks").asLong();
            long benign = f.path("benign").asLong();
            assertTrue(f.path("detected").asLong() <= attacks
                    && f.path("falseAlarms").asLong() <= benign);
            assertEquals(
                    (double) f.path("falseAlarms").asLong() / benign,
                    f.path("falsePositiveRate").asDouble(),
                    1e-12);
            if (attacks > 0) {
                assertEquals(
                        (double) f.path("detected").asLong() / attacks,
                        f.path("detectionRate").asDouble(),
                        1e-12);
            }
        }
        assertEquals(h.path("detected").asLong(), overall.path("detected").asLong());
        assertEquals(
                h.path("falseAlarms").asLong() + e.path("falseAlarms").asLong(),
                overall.path("falseAlarms").asLong());
        assertTrue(
                overall.path("roc").size() >= 2 && overall.path("roc").size() <= 200,
                overall.path("roc").toString());
        assertTrue(h.path("pr").size() >= 2 && h.path("pr").size() <= 200);
        System.out.printf(
                "evaluate on IoT-23 with a model trained on generated traffic: %s DR %s FPR %s; %s DR %s FPR %s;"
                        + " overall ROC-AUC %s%n",
                hakai.path("name").asText(),
                h.path("detectionRate"),
                h.path("falsePositiveRate"),
                echo.path("name").asText(),
                e.path("detectionRate"),
                e.path("falsePositiveRate"),
                overall.path("rocAuc"));

        html = Path.of(m.outputs().get("evaluation_html"));
        // Kept beyond the temp folder, to look at: target/evaluate-iot23/.
        Path kept = Files.createDirectories(Path.of("target", "evaluate-iot23"));
        for (Path f : List.of(html, html.resolveSibling("evaluation.json"))) {
            Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(manifestFile.getParent(), html.getParent());
        String runId = m.outputs().get("mlflow_run");
        assertNotNull(runId, m.toString());
        MlflowClient client = new MlflowClient(mlflow.trackingUri());
        try {
            Service.Run run = client.getRun(runId);
            assertEquals(
                    EvaluationTracking.EXPERIMENT,
                    client.getExperiment(run.getInfo().getExperimentId()).getName());
            Map<String, String> tags = run.getData().getTagsList().stream()
                    .collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
            assertEquals(MODEL, tags.get("model_name"));
            assertEquals("1", tags.get("model_version"));
            Set<String> metrics = run.getData().getMetricsList().stream()
                    .map(Service.Metric::getKey)
                    .collect(Collectors.toSet());
            assertTrue(
                    metrics.containsAll(List.of(
                            "dr",
                            "fpr",
                            "precision",
                            "f1",
                            "roc_auc",
                            "pr_auc",
                            "dr_at_fpr_0.001",
                            "dr_at_fpr_0.01",
                            "dr.C_C",
                            "CTU-Malware-Capture-8-1-labeled.dr",
                            "CTU-Honeypot-Capture-5-1-labeled.fpr")),
                    metrics.toString());
            assertFalse(metrics.contains("CTU-Honeypot-Capture-5-1-labeled.dr"), "an undefined figure is not logged");
        } finally {
            client.close();
        }
        try (Mlflow client2 = new Mlflow(mlflow.trackingUri())) {
            for (String name : List.of("evaluation.json", "evaluation.html")) {
                Path copy = tmp.resolve("artifacts").resolve(name);
                client2.downloadArtifact(client2.artifactUri(runId), name, copy);
                assertEquals(Files.size(manifestFile.resolveSibling(name)), Files.size(copy), name);
            }
        }
    }

    @Test
    @Order(2)
    void theHtmlReportOpensInAHeadlessBrowserWithItsCurvesDrawn() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(tmp.resolve("chromium"));
        assumeTrue(
                chromium != null,
                "no chromium binary on PATH (apt-get install chromium): the browser check is skipped");
        assertNotNull(html, "the report of the previous test");
        String dom = chromium.dom(html);
        Matcher polylines =
                Pattern.compile("<polyline[^>]* points=\"([^\"]+)\"").matcher(dom);
        List<Integer> points = new ArrayList<>();
        while (polylines.find()) points.add(polylines.group(1).trim().split("\\s+").length);
        // ROC and PR, each for all inputs and for the Hakai capture (the Echo capture has no attack, so no curve).
        assertEquals(4, points.size(), "polylines in the rendered DOM: " + points);
        for (int n : points) assertTrue(n >= 10, "a curve of " + n + " points: " + points);
        chromium.assertDrawn(html);
    }

    @Test
    @Order(3)
    void aColdStoreRangeIsOneInput() throws Exception {
        StepRunner.Result r = evaluate(
                "--cold-uri",
                cold.toString(),
                "--from",
                "2026-04-01",
                "--to",
                ModelFixture.END,
                "--model-version",
                "1",
                "--output-dir",
                tmp.resolve("cold-report").toString());
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode report =
                JSON.readTree(tmp.resolve("cold-report/evaluation.json").toFile());
        assertEquals(1, report.path("inputs").size());
        assertEquals(
                "cold-2026-04-01.." + ModelFixture.END,
                report.path("inputs").get(0).path("name").asText());
        assertEquals(FLOWS, report.path("overall").path("flows").asLong());
        assertTrue(
                report.path("overall").path("detectionRate").asDouble() > 0.5,
                report.path("overall").toString());
        assertEquals(r.manifest(), tmp.resolve("cold-report/manifest.json").toAbsolutePath());
    }

    @Test
    @Order(4)
    void noLabelledFlowIsNothingToDoAndSaysWhatWasRead() throws Exception {
        // The Echo capture without its label columns, and one record that cannot be read.
        List<String> lines = Files.readAllLines(ECHO).subList(0, 300);
        List<String> unlabelled = new ArrayList<>();
        for (String line : lines) unlabelled.add(line.substring(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1)));
        unlabelled.add("not,a,flow");
        Path file = tmp.resolve("unlabelled.csv");
        Files.write(file, unlabelled);
        StepRunner.Result r = evaluate(
                "--input",
                file.toString(),
                "--output-dir",
                tmp.resolve("unlabelled").toString());
        assertEquals(99, r.exitCode(), r.toString());
        assertTrue(
                r.err().contains("no labelled flow")
                        && r.err().contains("unlabelled.csv")
                        && r.err().contains("299 flows")
                        && r.err().contains("1 records rejected"),
                r.toString());
        assertEquals("", r.out());
        assertEquals(
                1,
                Files.readAllLines(tmp.resolve("unlabelled/quarantine.jsonl")).size());
    }

    @Test
    @Order(5)
    void badOptionsAreUsageErrors() throws Exception {
        StepRunner.Result both = StepRunner.javaJar(
                "evaluate",
                env(),
                "--input",
                ECHO.toString(),
                "--from",
                "2026-04-01",
                "--to",
                "2026-04-02",
                "--cold-uri",
                cold.toString());
        assertEquals(2, both.exitCode(), both.toString());
        assertEquals(1, both.err().strip().lines().count(), both.toString());
        assertTrue(both.err().contains("not both"), both.toString());
        assertEquals("", both.out());

        StepRunner.Result fromOnly = evaluate("--cold-uri", cold.toString(), "--from", "2026-04-01");
        assertEquals(2, fromOnly.exitCode(), fromOnly.toString());
        assertTrue(fromOnly.err().contains("--from and --to"), fromOnly.toString());
        assertEquals(2, evaluate().exitCode(), "no input at all");
        assertEquals(
                2, evaluate("--input", tmp.resolve("missing.csv").toString()).exitCode());
        assertEquals(
                2,
                evaluate("--cold-uri", cold.toString(), "--from", "2026-04-03", "--to", "2026-04-01")
                        .exitCode());
        assertEquals(2, evaluate("--from", "yesterday", "--to", "2026-04-01").exitCode());
    }

    @Test
    @Order(6)
    void mlflowDownTheCachedChampionStillEvaluatesAndWarns() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        StepRunner.Result r = StepRunner.inProcess(
                "evaluate",
                "--tracking-uri",
                "http://127.0.0.1:" + closed,
                "--model-name",
                MODEL,
                "--work-dir",
                work.toString(),
                "--input",
                ECHO + "\n" + MALWARE);
        assertEquals(0, r.exitCode(), r.toString());
        Manifest m = Manifest.read(r.manifest());
        assertEquals(
                10_403 + 1_374,
                m.count("flows"),
                "one --input value holds two paths, one per line, as the DAG passes them");
        assertEquals("cache (MLflow unreachable)", m.info().get("model_source"));
        assertFalse(m.outputs().containsKey("mlflow_run"));
        assertTrue(Files.isRegularFile(Path.of(m.outputs().get("evaluation_html"))));
    }
}
