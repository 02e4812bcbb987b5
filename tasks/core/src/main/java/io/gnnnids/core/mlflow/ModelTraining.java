package io.gnnnids.core.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.model.Baseline;
import io.gnnnids.core.model.Detector;
import io.gnnnids.core.model.EGraphSage;
import io.gnnnids.core.model.Metrics;
import io.gnnnids.core.model.ModelBundle;
import io.gnnnids.core.model.OperatingPoint;
import io.gnnnids.core.model.TrainConfig;
import io.gnnnids.core.model.TrainingData;
import io.gnnnids.core.model.TrainingRun;
import io.gnnnids.core.util.FileTrees;
import io.gnnnids.core.util.TimeRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run as MLflow records it (experiment {@value #EXPERIMENT}): parameters, per-epoch losses, test
 * metrics, the model's artifacts; then the quality gate, the registered version and the champion alias.
 */
public final class ModelTraining {
    public static final String EXPERIMENT = "gnn-nids-binary-training";

    private static final Logger log = LoggerFactory.getLogger(ModelTraining.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Result(
            String runId, Metrics test, double threshold, boolean passedGate, String version, boolean promoted) {}

    /**
     * The quality gate. PR-AUC does not depend on the threshold: a model that ranks every attack above every benign
     * flow passes even when its threshold was set on validation windows without some family of the test windows.
     */
    public record Gate(double minPrAuc, double minF1) {
        /** Why the test metrics fail the gate, or null when they pass. */
        public String failure(Metrics test) {
            if (!(test.prAuc() >= minPrAuc))
                return String.format("test PR-AUC %.4f is below --min-pr-auc %.2f", test.prAuc(), minPrAuc);
            if (test.f1() < minF1) return String.format("test F1 %.4f is below --min-f1 %.2f", test.f1(), minF1);
            return null;
        }
    }

    /**
     * What the run trained on: cold-store labelled flows of first..last (first null when none), generated networks,
     * and a baseline period (null when none) with what its preparation did.
     */
    public record Sources(
            TrainingData cold,
            LocalDate first,
            LocalDate last,
            int syntheticNetworks,
            long syntheticFlows,
            TimeRange baseline,
            Baseline.Prepared prepared) {}

    /** The baseline flows the screen left out, at most this many, go to MLflow for the operator to look at. */
    private static final int LEFT_OUT_REPORTED = 200;

    private final Mlflow mlflow;
    private final String modelName;
    private final ModelCache cache;

    public ModelTraining(Mlflow mlflow, String modelName, ModelCache cache) {
        this.mlflow = mlflow;
        this.modelName = modelName;
        this.cache = cache;
    }

    public Result train(
            TrainingRun.Split split,
            TrainConfig config,
            NodeKey nodeKey,
            Duration window,
            OperatingPoint operatingPoint,
            Sources sources,
            Gate gate,
            boolean promoteAlways,
            boolean promoteIfBetter)
            throws IOException {
        String experiment = mlflow.experimentId(EXPERIMENT);
        Service.RunInfo runInfo = mlflow.startRun(experiment, "train-" + sources.last());
        String runId = runInfo.getRunId();
        boolean ok = false;
        try {
            mlflow.logParams(runId, params(config, nodeKey, window, operatingPoint, sources, split, gate));
            TrainingRun.Outcome outcome = TrainingRun.run(split, config, nodeKey, window, operatingPoint, e -> {
                mlflow.logMetric(runId, "train_loss", e.trainLoss(), e.epoch());
                mlflow.logMetric(runId, "val_loss", e.validationLoss(), e.epoch());
                mlflow.logMetric(runId, "val_f1", e.validationF1(), e.epoch());
                log.info(
                        "epoch {}: train_loss {} val_loss {} val_f1 {} ({} s)",
                        e.epoch(),
                        fmt(e.trainLoss()),
                        fmt(e.validationLoss()),
                        fmt(e.validationF1()),
                        fmt(e.seconds()));
            });
            try (EGraphSage model = outcome.model()) {
                Metrics test = outcome.test();
                mlflow.logMetrics(runId, metrics(test, outcome));
                mlflow.logParams(
                        runId,
                        Map.of(
                                "best_epoch",
                                String.valueOf(outcome.result().bestEpoch()),
                                "threshold",
                                String.valueOf(outcome.threshold())));
                log.info(
                        "test: PR-AUC {} ROC-AUC {} F1 {} precision {} detection rate {} false-positive rate {} "
                                + "(threshold {}, {})",
                        fmt(test.prAuc()),
                        fmt(test.rocAuc()),
                        fmt(test.f1()),
                        fmt(test.precision()),
                        fmt(test.recall()),
                        fmt(test.falsePositiveRate()),
                        fmt(outcome.threshold()),
                        operatingPoint);
                if (outcome.familyHead() == null) {
                    log.info("family head: not trained (the training attacks name fewer than two families)");
                } else {
                    StringBuilder perFamily = new StringBuilder();
                    outcome.familyAccuracy()
                            .forEach((family, a) -> perFamily
                                    .append(perFamily.isEmpty() ? "" : ", ")
                                    .append(family)
                                    .append(' ')
                                    .append(fmt(a.rate()))
                                    .append(" of ")
                                    .append(a.count()));
                    log.info(
                            "family head: {} of the test attacks named right ({})",
                            fmt(outcome.familyAccuracyOverall()),
                            perFamily);
                }

                Path bundle = Files.createTempDirectory("gnn-nids-model-");
                try {
                    ModelBundle.Card card = outcome.card(window, dataRange(sources, split, outcome, operatingPoint));
                    ModelBundle.save(bundle, model, card);
                    upload(runId, bundle, test);
                    if (sources.prepared() != null)
                        uploadLeftOut(runId, bundle, sources.prepared().screened());
                    String failure = gate.failure(test);
                    boolean passed = failure == null;
                    if (!passed) log.warn("quality gate failed: {}", failure);
                    mlflow.setTag(runId, "quality_gate", passed ? "passed" : "failed");
                    if (!passed) {
                        ok = true; // the run itself worked; the model is not good enough to register
                        return new Result(runId, test, outcome.threshold(), false, null, false);
                    }
                    mlflow.ensureRegisteredModel(modelName);
                    String source = mlflow.artifactUri(runId) + "/" + ModelCache.ARTIFACT_DIR;
                    ModelVersionInfo version = mlflow.createModelVersion(modelName, source, runId);
                    boolean promote = promoteAlways || (promoteIfBetter && beatsChampion(test, split));
                    if (promote) {
                        mlflow.setAlias(modelName, Mlflow.CHAMPION, version.version());
                        log.info("model {} version {} is now the champion", modelName, version.version());
                    } else {
                        log.info("model {} version {} registered; the champion stays", modelName, version.version());
                    }
                    ok = true;
                    return new Result(runId, test, outcome.threshold(), true, version.version(), promote);
                } finally {
                    FileTrees.deleteRecursively(bundle);
                }
            }
        } finally {
            mlflow.endRun(runId, ok);
        }
    }

    /**
     * True when there is no champion, or the champion ranks the same test windows worse (a lower PR-AUC: the
     * comparison does not depend on either version's threshold).
     */
    private boolean beatsChampion(Metrics candidate, TrainingRun.Split split) throws IOException {
        Optional<ModelVersionInfo> champion = mlflow.versionByAlias(modelName, Mlflow.CHAMPION);
        if (champion.isEmpty()) return true;
        Path dir = cache.fetch(mlflow, champion.get());
        try (Detector detector = Detector.load(dir)) {
            Metrics current = detector.evaluate(split.test());
            log.info(
                    "champion version {} scores PR-AUC {} on the same test windows; the new version {}",
                    champion.get().version(),
                    fmt(current.prAuc()),
                    fmt(candidate.prAuc()));
            return candidate.prAuc() > current.prAuc() || Double.isNaN(current.prAuc());
        }
    }

    private void upload(String runId, Path bundle, Metrics test) throws IOException {
        for (String f : new String[] {EGraphSage.PARAMETERS_FILE, ModelBundle.CARD_FILE}) {
            mlflow.uploadArtifact(runId, ModelCache.ARTIFACT_DIR + "/" + f, bundle.resolve(f));
        }
        Path metrics = bundle.resolve("metrics.json");
        JSON.writeValue(metrics.toFile(), test);
        mlflow.uploadArtifact(runId, "metrics.json", metrics);
        Path confusion = bundle.resolve("confusion_matrix.json");
        ObjectNode cm = JSON.createObjectNode();
        cm.put("threshold", test.threshold());
        cm.putObject("actual_attack").put("predicted_attack", test.tp()).put("predicted_benign", test.fn());
        cm.putObject("actual_benign").put("predicted_attack", test.fp()).put("predicted_benign", test.tn());
        JSON.writeValue(confusion.toFile(), cm);
        mlflow.uploadArtifact(runId, "confusion_matrix.json", confusion);
    }

    /** The baseline flows the screen flagged, highest score first: what the operator should look at. */
    private void uploadLeftOut(String runId, Path dir, Baseline.Screened screened) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("left_out", screened.leftOut().size());
        root.put("screen_threshold", screened.threshold());
        var flows = root.putArray("flows");
        for (Baseline.Scored s : screened.leftOut()
                .subList(0, Math.min(LEFT_OUT_REPORTED, screened.leftOut().size()))) {
            Flow f = s.flow();
            flows.addObject()
                    .put("score", s.score())
                    .put("ts", f.ts())
                    .put("uid", f.uid())
                    .put("orig_h", f.origH())
                    .put("orig_p", f.origP())
                    .put("resp_h", f.respH())
                    .put("resp_p", f.respP())
                    .put("proto", f.proto())
                    .put("service", f.service())
                    .put("conn_state", f.connState());
        }
        Path file = dir.resolve("baseline_left_out.json");
        JSON.writeValue(file.toFile(), root);
        mlflow.uploadArtifact(runId, "baseline_left_out.json", file);
    }

    private static Map<String, String> params(
            TrainConfig c,
            NodeKey nodeKey,
            Duration window,
            OperatingPoint op,
            Sources sources,
            TrainingRun.Split split,
            Gate gate) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model", "E-GraphSAGE");
        p.put("layers", String.valueOf(c.layers()));
        p.put("hidden", String.valueOf(c.hidden()));
        p.put("dropout", String.valueOf(c.dropout()));
        p.put("learning_rate", String.valueOf(c.learningRate()));
        p.put("batch_edges", String.valueOf(c.batchEdges()));
        p.put("benign_mix", String.valueOf(c.benignMix()));
        p.put("max_epochs", String.valueOf(c.maxEpochs()));
        p.put("patience", String.valueOf(c.patience()));
        p.put("seed", String.valueOf(c.seed()));
        p.put("optimizer", "Adam");
        p.put("loss", "class-weighted cross-entropy");
        p.put("node_key", nodeKey.name().toLowerCase());
        p.put("window", window.toString());
        p.put("operating_point", op.toString());
        p.put("min_pr_auc", String.valueOf(gate.minPrAuc()));
        p.put("min_f1", String.valueOf(gate.minF1()));
        p.put("data_from", sources.first() == null ? "none" : sources.first().toString());
        p.put("data_to", sources.first() == null ? "none" : sources.last().toString());
        p.put("rows_total", String.valueOf(sources.cold().totalFlows()));
        p.put("rows_labelled", String.valueOf(sources.cold().labelledFlows()));
        p.put("synthetic_networks", String.valueOf(sources.syntheticNetworks()));
        p.put("synthetic_flows", String.valueOf(sources.syntheticFlows()));
        if (sources.baseline() != null) {
            p.put("baseline", sources.baseline().toString());
            p.put(
                    "baseline_flows",
                    String.valueOf(sources.prepared().screened().flows().size()));
            p.put(
                    "baseline_left_out",
                    String.valueOf(sources.prepared().screened().leftOut().size()));
            p.put("baseline_attacks", String.valueOf(sources.prepared().attacks()));
        }
        p.put("rows_train", String.valueOf(split.flows(split.train())));
        p.put("rows_validation", String.valueOf(split.flows(split.validation())));
        p.put("rows_test", String.valueOf(split.flows(split.test())));
        p.put(
                "windows",
                String.valueOf(split.train().size()
                        + split.validation().size()
                        + split.test().size()));
        return p;
    }

    private static Map<String, Double> metrics(Metrics t, TrainingRun.Outcome outcome) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_accuracy", t.accuracy());
        m.put("test_precision", t.precision());
        m.put("test_recall", t.recall());
        m.put("test_detection_rate", t.recall());
        m.put("test_f1", t.f1());
        m.put("test_fpr", t.falsePositiveRate());
        m.put("test_roc_auc", t.rocAuc());
        m.put("test_pr_auc", t.prAuc());
        m.put("val_f1_at_threshold", outcome.validation().f1());
        m.put("threshold", outcome.threshold());
        m.put("best_epoch", (double) outcome.result().bestEpoch());
        t.families().forEach((family, rate) -> m.put("test_detection_rate." + Mlflow.metricName(family), rate.rate()));
        if (outcome.familyHead() != null && !outcome.familyAccuracy().isEmpty()) {
            m.put("test_family_accuracy", outcome.familyAccuracyOverall());
            outcome.familyAccuracy()
                    .forEach((family, a) -> m.put("test_family_accuracy." + Mlflow.metricName(family), a.rate()));
        }
        return m;
    }

    private static ObjectNode dataRange(
            Sources sources, TrainingRun.Split split, TrainingRun.Outcome outcome, OperatingPoint op) {
        Metrics test = outcome.test();
        ObjectNode d = JSON.createObjectNode();
        if (sources.first() != null) {
            d.put("from", sources.first().toString());
            d.put("to", sources.last().toString());
        }
        d.put("rows_total", sources.cold().totalFlows());
        d.put("rows_labelled", sources.cold().labelledFlows());
        d.put("synthetic_networks", sources.syntheticNetworks());
        if (sources.baseline() != null) {
            d.put("baseline", sources.baseline().toString());
            d.put("baseline_flows", sources.prepared().screened().flows().size());
            d.put("baseline_left_out", sources.prepared().screened().leftOut().size());
        }
        d.put("rows_train", split.flows(split.train()));
        d.put("rows_validation", split.flows(split.validation()));
        d.put("rows_test", split.flows(split.test()));
        d.put("operating_point", op.toString());
        d.set("test_metrics", JSON.valueToTree(test));
        if (!outcome.familyAccuracy().isEmpty()) d.put("test_family_accuracy", outcome.familyAccuracyOverall());
        return d;
    }

    static String fmt(double v) {
        return String.format("%.4f", v);
    }
}
