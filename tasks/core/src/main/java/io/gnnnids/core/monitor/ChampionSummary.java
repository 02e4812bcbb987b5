package io.gnnnids.core.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.mlflow.ModelCache;
import io.gnnnids.core.model.ModelBundle;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the detections page says of the model: the one infer last scored with (its newest manifest), its test
 * figures from training (the model card infer cached) and the newest evaluation, all read from the work directory
 * the steps share. Nothing here asks MLflow: the page must render while MLflow is down.
 */
public final class ChampionSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The card's test metrics, as the page names them. */
    private static final String[][] TEST_FIGURES = {
        {"F1", "f1"},
        {"precision", "precision"},
        {"detection rate", "recall"},
        {"false-positive rate", "falsePositiveRate"},
        {"ROC-AUC", "rocAuc"},
        {"PR-AUC", "prAuc"}
    };

    private ChampionSummary() {}

    /** The summary, or null while infer has not run. */
    public static DetectionsHtml.Champion read(Path work) throws IOException {
        Path scored = newest(work.resolve("infer"), "infer-*.json");
        if (scored == null) return null;
        JsonNode infer = JSON.readTree(scored.toFile());
        String evaluatedAt = null;
        String evaluatedVersion = null;
        List<DetectionsHtml.Evaluated> rows = new ArrayList<>();
        Path evaluation = newestEvaluation(work.resolve("evaluate"));
        if (evaluation != null) {
            JsonNode e = JSON.readTree(evaluation.toFile());
            evaluatedAt = e.path("createdAt").asText();
            evaluatedVersion = e.path("model").path("name").asText() + "/"
                    + e.path("model").path("version").asText();
            rows.add(evaluated("all inputs", e.path("overall")));
            for (JsonNode in : e.path("inputs"))
                rows.add(evaluated(in.path("name").asText(), in.path("figures")));
        }
        String model = infer.path("outputs").path("model").asText();
        return new DetectionsHtml.Champion(
                model,
                infer.path("info").path("threshold").asText(),
                infer.path("info").path("model_source").asText(),
                infer.path("startedAt").asText(),
                testFigures(work, model),
                evaluatedAt,
                evaluatedVersion,
                rows);
    }

    /** The test figures train wrote into the version's model.json, as infer cached it ("name/version"). */
    static Map<String, Double> testFigures(Path work, String model) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        int slash = model.lastIndexOf('/');
        if (slash < 0) return out;
        Path card = new ModelCache(work.resolve("models"))
                .dirFor(model.substring(0, slash), model.substring(slash + 1))
                .resolve(ModelBundle.CARD_FILE);
        if (!Files.isRegularFile(card)) return out;
        JsonNode data = JSON.readTree(card.toFile()).path("data");
        JsonNode t = data.path("test_metrics");
        for (String[] f : TEST_FIGURES) {
            if (t.path(f[1]).isNumber()) out.put(f[0], t.path(f[1]).asDouble());
        }
        if (data.path("test_family_accuracy").isNumber()) {
            out.put("family named right", data.path("test_family_accuracy").asDouble());
        }
        return out;
    }

    private static DetectionsHtml.Evaluated evaluated(String input, JsonNode f) {
        return new DetectionsHtml.Evaluated(
                input,
                f.path("flows").asLong(),
                ReportDir.decimal(f.get("detectionRate")),
                ReportDir.decimal(f.get("falsePositiveRate")),
                ReportDir.decimal(f.get("f1")),
                ReportDir.decimal(f.get("rocAuc")));
    }

    /** The evaluation.json of the newest run folder under {@code dir} (their names sort by time), or null. */
    private static Path newestEvaluation(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        try (var runs = Files.list(dir)) {
            return runs.map(d -> d.resolve("evaluation.json"))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing(Path::toString))
                    .orElse(null);
        }
    }

    /** The file of {@code dir} matching {@code glob} whose name sorts last, or null. */
    private static Path newest(Path dir, String glob) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        Path last = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                if (last == null
                        || f.getFileName()
                                        .toString()
                                        .compareTo(last.getFileName().toString())
                                > 0) last = f;
            }
        }
        return last;
    }
}
