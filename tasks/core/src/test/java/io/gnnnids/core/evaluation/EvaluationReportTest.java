package io.gnnnids.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.util.JsonFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
    static final EvaluationReport.Model MODEL = new EvaluationReport.Model("nids", "3", 0.5, "mlflow");

    /** A capture with attacks of two families, benign flows and one unlabelled flow. */
    static ScoredInput mixed() {
        return new ScoredInput(
                "botnet",
                "/data/botnet.csv",
                2,
                Map.of("bad_port", 2L),
                new float[] {0.9f, 0.8f, 0.4f, 0.6f, 0.1f, 0.2f, 0.3f, 0.7f},
                new int[] {1, 1, 1, 0, 0, 0, 0, -1},
                new String[] {"C&C", "C&C", "DDoS", null, null, null, null, null});
    }

    /** A capture of benign flows only. */
    static ScoredInput benignOnly() {
        return new ScoredInput(
                "echo",
                "/data/echo.csv",
                0,
                Map.of(),
                new float[] {0.6f, 0.1f, 0.2f},
                new int[] {0, 0, 0},
                new String[3]);
    }

    static EvaluationReport report() {
        return EvaluationReport.of(MODEL, List.of(mixed(), benignOnly()));
    }

    @Test
    void figuresAddUpPerInputAndOverall() {
        EvaluationReport r = report();
        Figures botnet = r.inputs().get(0).figures();
        assertEquals(8, botnet.flows());
        assertEquals(3, botnet.attacks());
        assertEquals(4, botnet.benign());
        assertEquals(1, botnet.unlabelled());
        assertEquals(2, botnet.detected());
        assertEquals(1, botnet.falseAlarms());
        assertEquals(2 / 3.0, botnet.detectionRate(), 1e-9);
        assertEquals(0.25, botnet.falsePositiveRate(), 1e-9);
        assertEquals(2 / 3.0, botnet.precision(), 1e-9);
        assertEquals(1.0, botnet.families().get("C&C").rate());
        assertEquals(0.0, botnet.families().get("DDoS").rate());

        Figures all = r.overall();
        assertEquals(11, all.flows());
        assertEquals(3, all.attacks());
        assertEquals(7, all.benign());
        assertEquals(2, all.falseAlarms(), "the echo capture's 0.6 is a false alarm too");
        assertEquals(2 / 7.0, all.falsePositiveRate(), 1e-9);
        assertTrue(all.hasBothClasses() && !all.roc().isEmpty() && !all.pr().isEmpty());
    }

    @Test
    void aBenignOnlyInputHasNoDetectionRateNorAucsNorCurves() {
        Figures echo = report().inputs().get(1).figures();
        assertNull(echo.detectionRate());
        assertNull(echo.f1());
        assertNull(echo.rocAuc());
        assertNull(echo.prAuc());
        assertNull(echo.detectionRateAtFpr().get("0.01"));
        assertEquals(1 / 3.0, echo.falsePositiveRate(), 1e-9);
        assertEquals(0.0, echo.precision(), "it flagged one flow, wrongly");
        assertTrue(
                echo.roc().isEmpty() && echo.pr().isEmpty() && echo.families().isEmpty());
    }

    @Test
    void detectionRateAtATargetFalsePositiveRateIsReadOffTheBenignScores() {
        Figures botnet = report().inputs().get(0).figures();
        // 4 benign flows: 0.1 % and 1 % both allow none, so the threshold lies just above the highest benign (0.6).
        assertEquals(2 / 3.0, botnet.detectionRateAtFpr().get("0.001"), 1e-9);
        assertEquals(2 / 3.0, botnet.detectionRateAtFpr().get("0.01"), 1e-9);
    }

    @Test
    void undefinedFiguresAreJsonNullsAndNotMlflowMetrics(@TempDir Path dir) throws Exception {
        EvaluationReport r = report();
        JsonNode json = new ObjectMapper()
                .readTree(JsonFiles.writeAtomically(r, dir.resolve("e.json")).toFile());
        JsonNode echo = json.path("inputs").get(1).path("figures");
        assertTrue(echo.path("detectionRate").isNull(), echo.toString());
        assertTrue(echo.path("rocAuc").isNull(), echo.toString());
        assertTrue(json.path("overall").path("roc").get(0).has("x"));
        assertFalse(json.toString().contains("NaN"));

        Map<String, Double> m = r.metrics();
        assertEquals(1.0, m.get("dr.C_C"));
        assertTrue(m.containsKey("botnet.dr") && m.containsKey("botnet.fpr") && m.containsKey("echo.fpr"));
        assertFalse(m.containsKey("echo.dr"), "an undefined figure is not logged: " + m.keySet());
        assertTrue(
                m.keySet()
                        .containsAll(List.of(
                                "dr",
                                "fpr",
                                "precision",
                                "f1",
                                "roc_auc",
                                "pr_auc",
                                "dr_at_fpr_0.001",
                                "dr_at_fpr_0.01")),
                m.keySet().toString());
        for (double v : m.values()) assertTrue(Double.isFinite(v));
    }

    @Test
    void fileStemsDropTheExtensions() {
        assertEquals(
                "CTU-Malware-Capture-8-1-labeled",
                EvaluationInput.stem(Path.of("/x/CTU-Malware-Capture-8-1-labeled.csv")));
        assertEquals("conn", EvaluationInput.stem(Path.of("conn.log.labeled")));
        assertEquals("capture", EvaluationInput.stem(Path.of("capture.json.gz")));
    }
}
