package io.gnnnids.evaluate;

import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.ColdStoreOption;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.ModelRegistryOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.evaluation.EvaluationHtml;
import io.gnnnids.core.evaluation.EvaluationInput;
import io.gnnnids.core.evaluation.EvaluationReport;
import io.gnnnids.core.evaluation.EvaluationTracking;
import io.gnnnids.core.evaluation.Figures;
import io.gnnnids.core.evaluation.ScoredInput;
import io.gnnnids.core.flow.QuarantineWriter;
import io.gnnnids.core.mlflow.Mlflow;
import io.gnnnids.core.mlflow.MlflowUnreachable;
import io.gnnnids.core.mlflow.ModelCache;
import io.gnnnids.core.mlflow.ResolvedModel;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.util.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "evaluate",
        description = {
            "Scores labelled flows with a model version (the champion, or --model-version) and reports "
                    + "how well it detects the attacks, overall, per attack family and per input: detection and "
                    + "false-positive rate, precision, F1, ROC-AUC, PR-AUC, detection rate at 0.1 % and 1 % false "
                    + "positives. Inputs are labelled Zeek logs (every format replay file reads; each file is one "
                    + "capture, "
                    + "scored on its own) or the cold store's flows of --from..--to. The hot store is not touched.",
            "Writes evaluation.json and evaluation.html (self-contained, opens offline) to --output-dir, and logs "
                    + "a run with both to MLflow (experiment " + EvaluationTracking.EXPERIMENT + ")."
        })
public class EvaluateCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(EvaluateCommand.class);
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Labelled Zeek log files, as --input.")
    List<Path> paths = new ArrayList<>();

    // A value may hold several paths, one per line: the nids_evaluation DAG passes its list that way.
    @Option(
            names = "--input",
            paramLabel = "FILE",
            split = "\\R",
            description = "A labelled Zeek log (JSON, TSV, IoT-23 conn.log.labeled, CSV; .gz too), one capture; "
                    + "repeat it for several (one value may also hold several paths, one per line).")
    List<Path> inputs = new ArrayList<>();

    @Mixin
    ColdStoreOption cold;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day of the cold store to evaluate on.")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day of the cold store to evaluate on.")
    LocalDate to;

    @Mixin
    ModelRegistryOptions registry;

    @Option(names = "--model-version", description = "Evaluate this version instead of the champion.")
    String modelVersion;

    @Option(names = "--output-dir", description = "Where the reports go (default $NIDS_WORK_DIR/evaluate/<run-id>).")
    Path outputDir;

    @Mixin
    WorkDirOption workDir;

    public static void main(String[] args) {
        Cli.main(EvaluateCommand::new, args);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.NOTHING_TO_DO, "no labelled flow in the inputs");
    }

    @Override
    protected Path run() throws Exception {
        List<Path> files = new ArrayList<>(inputs); // reports list the --input files first, then the paths
        files.addAll(paths);
        checkOptions(files);
        String trackingUri = registry.trackingUri();
        String modelName = registry.modelName();
        String runId = "evaluate-" + RUN_TIME.format(Instant.now());
        Path work = workDir.path();
        Path out = (outputDir != null ? outputDir : work.resolve("evaluate").resolve(runId)).toAbsolutePath();
        StepRun run = new StepRun("evaluate");

        List<EvaluationInput> read = new ArrayList<>();
        Path quarantineFile = out.resolve("quarantine.jsonl");
        try (QuarantineWriter quarantine = new QuarantineWriter(quarantineFile)) {
            if (files.isEmpty()) {
                read.add(EvaluationInput.readCold(cold.uri(), from, to, work.resolve("cold-cache")));
            } else {
                Set<String> names = new HashSet<>();
                for (Path f : files)
                    read.add(EvaluationInput.readFile(f, uniqueName(EvaluationInput.stem(f), names), quarantine));
            }
        }
        long labelled = read.stream().mapToLong(EvaluationInput::labelled).sum();
        if (labelled == 0) throw new NothingToDo("no labelled flow to evaluate on in " + describe(read));

        EvaluationReport report;
        List<ScoredInput> scored = new ArrayList<>();
        try (ResolvedModel model =
                ResolvedModel.resolve(new ModelCache(work.resolve("models")), trackingUri, modelName, modelVersion)) {
            for (EvaluationInput in : read)
                scored.add(ScoredInput.of(in, model.detector().score(in.flows())));
            report = EvaluationReport.of(
                    new EvaluationReport.Model(
                            modelName, model.version(), model.detector().threshold(), model.source()),
                    scored);
        }
        for (EvaluationReport.Input in : report.inputs()) summary(in.name(), in.figures());
        summary("all inputs", report.overall());

        Path json = JsonFiles.writeAtomically(report, out.resolve("evaluation.json"));
        Path html = out.resolve("evaluation.html");
        Files.writeString(html, EvaluationHtml.render(report));
        String mlflowRun = track(trackingUri, runId, report, List.of(json, html));

        Figures all = report.overall();
        Map<String, Long> rejected = new TreeMap<>();
        read.forEach(in -> in.rejectedByReason().forEach((k, v) -> rejected.merge(k, v, Long::sum)));
        run.count("flows", all.flows())
                .count("attacks", all.attacks())
                .count("benign", all.benign())
                .count("unlabelled", all.unlabelled())
                .count("rejected", rejected.values().stream().mapToLong(v -> v).sum())
                .reasons(rejected)
                .output("evaluation_json", json)
                .output("evaluation_html", html)
                .output("model", modelName + "/" + report.model().version());
        if (Files.exists(quarantineFile)) run.output("quarantine", quarantineFile);
        if (mlflowRun != null) run.output("mlflow_run", mlflowRun);
        for (EvaluationInput in : read) run.output("input:" + in.name(), in.source());
        run.info("threshold", report.model().threshold())
                .info("model_source", report.model().source());
        report.metrics().forEach(run::info);
        return run.write(ManifestPaths.ofFolder(out));
    }

    private void checkOptions(List<Path> files) {
        boolean range = from != null || to != null;
        if (!files.isEmpty() && range) {
            throw new UsageError("give either input files or a cold store range (--from/--to), not both");
        }
        if (files.isEmpty() && !range) {
            throw new UsageError("nothing to evaluate: give labelled Zeek logs (--input FILE or paths) or a cold "
                    + "store range (--from and --to)");
        }
        if (range) {
            if (from == null || to == null) throw new UsageError("--from and --to go together: give both days");
            if (from.isAfter(to)) throw new UsageError("--from " + from + " is after --to " + to);
            cold.uri();
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) throw new UsageError("cannot read " + f);
        }
        if (modelVersion != null && !modelVersion.matches("[0-9]+")) {
            throw new UsageError("--model-version must be a version number, got '" + modelVersion + "'");
        }
    }

    /** Logs the MLflow run; with a model from the cache (MLflow was down already) an unreachable server only warns. */
    private static String track(String trackingUri, String runName, EvaluationReport report, List<Path> artifacts)
            throws Exception {
        try (Mlflow mlflow = new Mlflow(trackingUri)) {
            String id = EvaluationTracking.log(mlflow, runName, report, artifacts);
            log.info("MLflow run {} in experiment {}", id, EvaluationTracking.EXPERIMENT);
            return id;
        } catch (StepFailure e) {
            if (!report.model().source().equals(ResolvedModel.FROM_CACHE) || !(e instanceof MlflowUnreachable)) throw e;
            log.warn("{}; the reports are written, but no MLflow run records this evaluation", e.getMessage());
            return null;
        }
    }

    private static void summary(String name, Figures f) {
        log.info(
                "{}: {} flows, {} attacks, {} benign, {} unlabelled; detection rate {}, false-positive rate {}, "
                        + "precision {}, F1 {}, ROC-AUC {}",
                name,
                f.flows(),
                f.attacks(),
                f.benign(),
                f.unlabelled(),
                fmt(f.detectionRate()),
                fmt(f.falsePositiveRate()),
                fmt(f.precision()),
                fmt(f.f1()),
                fmt(f.rocAuc()));
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format("%.4f", v);
    }

    /** Two files of the same name in different folders still get apart names: x, x-2, ... */
    private static String uniqueName(String stem, Set<String> taken) {
        String name = stem;
        for (int i = 2; !taken.add(name); i++) name = stem + "-" + i;
        return name;
    }

    private static String describe(List<EvaluationInput> read) {
        List<String> parts = new ArrayList<>();
        for (EvaluationInput in : read) {
            parts.add(in.source() + " (" + in.flows().size() + " flows, none labelled benign or malicious"
                    + (in.rejected() > 0 ? ", " + in.rejected() + " records rejected" : "") + ")");
        }
        return String.join("; ", parts);
    }
}
