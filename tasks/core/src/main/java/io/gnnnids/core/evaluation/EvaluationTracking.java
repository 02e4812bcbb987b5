package io.gnnnids.core.evaluation;

import io.gnnnids.core.mlflow.Mlflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An evaluation as one MLflow run (experiment {@value #EXPERIMENT}): tags, params, metrics and both reports. */
public final class EvaluationTracking {
    public static final String EXPERIMENT = "gnn-nids-evaluation";

    private EvaluationTracking() {}

    /** Logs the run and uploads the files as artifacts of the same names; returns the run's id. */
    public static String log(Mlflow mlflow, String runName, EvaluationReport report, List<Path> artifacts)
            throws IOException {
        String runId = mlflow.startRun(mlflow.experimentId(EXPERIMENT), runName).getRunId();
        boolean ok = false;
        try {
            mlflow.setTag(runId, "model_name", report.model().name());
            mlflow.setTag(runId, "model_version", report.model().version());
            mlflow.logParams(runId, params(report));
            mlflow.logMetrics(runId, report.metrics());
            for (Path file : artifacts)
                mlflow.uploadArtifact(runId, file.getFileName().toString(), file);
            ok = true;
            return runId;
        } finally {
            mlflow.endRun(runId, ok);
        }
    }

    /** The model's threshold and source, and each input's source as {@code input.<name>}. */
    static Map<String, String> params(EvaluationReport report) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("threshold", String.valueOf(report.model().threshold()));
        p.put("model_source", report.model().source());
        p.put("inputs", String.valueOf(report.inputs().size()));
        for (EvaluationReport.Input in : report.inputs()) p.put("input." + Mlflow.metricName(in.name()), in.source());
        return p;
    }
}
