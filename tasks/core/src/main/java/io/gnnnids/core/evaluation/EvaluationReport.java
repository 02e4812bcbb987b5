package io.gnnnids.core.evaluation;

import io.gnnnids.core.mlflow.Mlflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code evaluate} found: the model, the figures over every input together, and each input's own (each was
 * scored on its own graph). Written as {@code evaluation.json}; {@link EvaluationHtml} draws it.
 */
public record EvaluationReport(String createdAt, Model model, Figures overall, List<Input> inputs) {

    /** The model version scored with; {@code source} says whether it came from MLflow or the local cache. */
    public record Model(String name, String version, double threshold, String source) {}

    /** One input (file or cold-store range) and its figures. */
    public record Input(
            String name, String source, long rejected, Map<String, Long> rejectedByReason, Figures figures) {}

    public static EvaluationReport of(Model model, List<ScoredInput> scored) {
        int total = 0;
        for (ScoredInput s : scored) total += s.scores().length;
        float[] scores = new float[total];
        int[] labels = new int[total];
        String[] families = new String[total];
        List<Input> inputs = new ArrayList<>();
        int at = 0;
        for (ScoredInput s : scored) {
            int n = s.scores().length;
            System.arraycopy(s.scores(), 0, scores, at, n);
            System.arraycopy(s.labels(), 0, labels, at, n);
            System.arraycopy(s.families(), 0, families, at, n);
            at += n;
            inputs.add(new Input(
                    s.name(),
                    s.source(),
                    s.rejected(),
                    s.rejectedByReason(),
                    Figures.of(s.scores(), s.labels(), s.families(), model.threshold())));
        }
        return new EvaluationReport(
                Instant.now().toString(), model, Figures.of(scores, labels, families, model.threshold()), inputs);
    }

    /**
     * The figures as MLflow metrics: the overall ones by name ({@code dr}, {@code fpr}, ... {@code dr_at_fpr_0.01}),
     * {@code dr.<family>}, and {@code <input>.dr} / {@code <input>.fpr}. Undefined figures are left out.
     */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("flows", (double) overall.flows());
        m.put("attacks", (double) overall.attacks());
        m.put("benign", (double) overall.benign());
        m.put("unlabelled", (double) overall.unlabelled());
        m.put("dr", overall.detectionRate());
        m.put("fpr", overall.falsePositiveRate());
        m.put("precision", overall.precision());
        m.put("f1", overall.f1());
        m.put("roc_auc", overall.rocAuc());
        m.put("pr_auc", overall.prAuc());
        overall.detectionRateAtFpr().forEach((fpr, dr) -> m.put("dr_at_fpr_" + fpr, dr));
        overall.families().forEach((family, rate) -> m.put("dr." + Mlflow.metricName(family), rate.rate()));
        for (Input in : inputs) {
            String name = Mlflow.metricName(in.name());
            m.put(name + ".dr", in.figures().detectionRate());
            m.put(name + ".fpr", in.figures().falsePositiveRate());
        }
        m.values().removeIf(v -> v == null || !Double.isFinite(v));
        return m;
    }
}
