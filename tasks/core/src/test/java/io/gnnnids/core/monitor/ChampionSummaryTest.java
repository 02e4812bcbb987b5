package io.gnnnids.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gnnnids.core.mlflow.ModelCache;
import io.gnnnids.core.model.ModelBundle;
import io.gnnnids.core.util.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChampionSummaryTest {

    @TempDir
    Path work;

    private void inferRun(String time, String model, String threshold) throws Exception {
        JsonFiles.writeAtomically(
                Map.of(
                        "step",
                        "infer",
                        "startedAt",
                        time,
                        "outputs",
                        Map.of("model", model),
                        "info",
                        Map.of("threshold", threshold, "model_source", "mlflow")),
                work.resolve("infer").resolve("infer-" + time.replace(":", "") + ".json"));
    }

    private void evaluation(String run, String createdAt, String version, double dr) throws Exception {
        Map<String, Object> figures = Map.of("flows", 100, "detectionRate", dr, "falsePositiveRate", 0.01, "f1", 0.9);
        JsonFiles.writeAtomically(
                Map.of(
                        "createdAt",
                        createdAt,
                        "model",
                        Map.of("name", "gnn-nids", "version", version),
                        "overall",
                        figures,
                        "inputs",
                        List.of(Map.of("name", "capture-a", "figures", figures))),
                work.resolve("evaluate").resolve(run).resolve("evaluation.json"));
    }

    @Test
    void nothingBeforeInferHasRun() throws Exception {
        assertNull(ChampionSummary.read(work));
    }

    @Test
    void theNewestInferRunTheCachedCardsTestFiguresAndTheNewestEvaluation() throws Exception {
        inferRun("2026-03-01T10:00:00Z", "gnn-nids/3", "0.41");
        inferRun("2026-03-01T11:00:00Z", "gnn-nids/4", "0.52");
        Path card =
                new ModelCache(work.resolve("models")).dirFor("gnn-nids", "4").resolve(ModelBundle.CARD_FILE);
        Files.createDirectories(card.getParent());
        Files.writeString(
                card,
                "{\"data\": {\"test_metrics\": {\"f1\": 0.95, \"recall\": 0.97, \"rocAuc\": 0.999},"
                        + " \"test_family_accuracy\": 0.9}}");
        evaluation("evaluate-20260301T090000Z", "2026-03-01T09:00:00Z", "3", 0.5);
        evaluation("evaluate-20260301T120000Z", "2026-03-01T12:00:00Z", "4", 0.8);
        Files.createDirectories(work.resolve("evaluate").resolve("evaluate-20260301T130000Z")); // a run cut short

        DetectionsHtml.Champion c = ChampionSummary.read(work);

        assertEquals("gnn-nids/4", c.model());
        assertEquals("0.52", c.threshold());
        assertEquals("mlflow", c.source());
        assertEquals("2026-03-01T11:00:00Z", c.scoredAt());
        assertEquals(Map.of("F1", 0.95, "detection rate", 0.97, "ROC-AUC", 0.999, "family named right", 0.9), c.test());
        assertEquals(
                List.of("F1", "detection rate", "ROC-AUC", "family named right"),
                List.copyOf(c.test().keySet()));
        assertEquals("2026-03-01T12:00:00Z", c.evaluatedAt());
        assertEquals("gnn-nids/4", c.evaluatedVersion());
        assertEquals(2, c.evaluation().size());
        assertEquals("all inputs", c.evaluation().get(0).input());
        assertEquals("capture-a", c.evaluation().get(1).input());
        assertEquals(0.8, c.evaluation().get(1).detectionRate());
        assertNull(c.evaluation().get(1).rocAuc(), "not in the evaluation: not defined");
    }

    @Test
    void aModelWhoseCardIsNotCachedHasNoTestFigures() throws Exception {
        inferRun("2026-03-01T10:00:00Z", "gnn-nids/7", "0.5");
        assertEquals(Map.of(), ChampionSummary.read(work).test());
    }
}
