package io.gnnnids.infer;

import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.DurationConverter;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.HotStoreOptions;
import io.gnnnids.core.cli.ModelRegistryOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.inference.Inference;
import io.gnnnids.core.mlflow.ModelCache;
import io.gnnnids.core.mlflow.ResolvedModel;
import io.gnnnids.core.model.Detector;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.HotPredictions;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "infer",
        description = {
            "Scores the flows of the hot store that have no prediction yet with the champion model (or "
                    + "--model-version): builds their graphs with the flows around them as context and writes "
                    + "prediction, "
                    + "score, model_version and predicted_at by uid in one transaction; for each flagged flow also "
                    + "predicted_family (the model's family head) and explanation (JSON: the feature groups that "
                    + "moved its score "
                    + "most and its source's activity in the window). Model files are cached locally "
                    + "per version; if MLflow is unreachable the last cached champion is used, with a warning.",
            "Then groups the flagged flows into incidents (table incidents): a source host's flagged flows within "
                    + "--incident-gap of each other form one incident, which grows while the activity goes on and "
                    + "is closed once the traffic is past its last flow by more than the gap."
        })
public class InferCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(InferCommand.class);

    @Mixin
    HotStoreOptions hot;

    @Mixin
    ModelRegistryOptions registry;

    @Option(names = "--model-version", description = "Score with this version instead of the champion.")
    String modelVersion;

    @Option(
            names = "--batch-size",
            defaultValue = "10000",
            description = "Most flows scored in one run, oldest first (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--incident-gap",
            paramLabel = "DURATION",
            defaultValue = "15m",
            converter = DurationConverter.class,
            description = "A host's flagged flows closer than this belong to one incident (default ${DEFAULT-VALUE}).")
    Duration incidentGap;

    @Mixin
    WorkDirOption workDir;

    public static void main(String[] args) {
        Cli.main(InferCommand::new, args);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.NOTHING_TO_DO, "no flow waits to be scored");
    }

    @Override
    protected Path run() throws Exception {
        Path duckdb = hot.path();
        String trackingUri = registry.trackingUri();
        String modelName = registry.modelName();
        if (batchSize <= 0) throw new UsageError("--batch-size must be positive, got " + batchSize);
        if (incidentGap.isZero() || incidentGap.isNegative()) throw new UsageError("--incident-gap must be positive");
        Path work = workDir.path();
        StepRun run = new StepRun("infer");

        ModelCache cache = new ModelCache(work.resolve("models"));
        ResolvedModel model = null;
        List<Flow> toScore;
        List<Flow> context;
        long started = System.nanoTime();
        // The file is held only while reading and while writing, not while the model scores. The model loads (and
        // MLflow answers) on a second thread while the batch is read: each took a second or more of a large run.
        ExecutorService loader = Executors.newSingleThreadExecutor();
        Future<ResolvedModel> loading = null;
        try (HotStore store = hot.open()) {
            if (!HotPredictions.anyUnpredicted(store)) {
                throw new NothingToDo("every flow in " + duckdb + " has a prediction");
            }
            loading = loader.submit(() -> ResolvedModel.resolve(cache, trackingUri, modelName, modelVersion));
            toScore = HotPredictions.unpredicted(store, batchSize);
            model = loaded(loading);
            context = Inference.context(store, model.detector(), toScore);
        } catch (Exception e) {
            if (model != null) model.detector().close();
            else if (loading != null) discard(loading);
            throw e;
        } finally {
            loader.shutdown();
        }

        try (Detector detector = model.detector()) {
            double readSeconds = secondsSince(started);
            Inference.Verdicts verdicts = Inference.score(detector, context, toScore);
            Inference.Stored stored;
            long storing = System.nanoTime();
            try (HotStore store = hot.open()) {
                stored = Inference.store(store, verdicts, detector.threshold(), model.version(), incidentGap);
            }
            double storeSeconds = secondsSince(storing);
            IncidentTable.Update incidents = stored.incidents();
            log.info(
                    "scored {} flows with {} version {} ({} context flows): {} attacks; {} s reading and loading the"
                            + " model, {} s scoring, {} s storing",
                    toScore.size(),
                    modelName,
                    model.version(),
                    context.size(),
                    verdicts.attacks(),
                    String.format("%.2f", readSeconds),
                    String.format("%.2f", verdicts.seconds()),
                    String.format("%.2f", storeSeconds));
            if (!verdicts.named().isEmpty()) log.info("families named for the flagged flows: {}", verdicts.named());
            log.info(
                    "incidents: {} new, {} grown, {} closed ({} flagged flows grouped in {} s of the storing)",
                    incidents.created(),
                    incidents.grown(),
                    incidents.closed(),
                    incidents.flows(),
                    String.format("%.2f", stored.incidentSeconds()));
            run.count("scored", toScore.size())
                    .count("updated", stored.updated())
                    .count("attacks", verdicts.attacks())
                    .count("incidents_new", incidents.created())
                    .count("incidents_grown", incidents.grown())
                    .count("incidents_closed", incidents.closed())
                    .count("context", context.size())
                    .reasons(verdicts.byLabel())
                    .output("duckdb", duckdb.toAbsolutePath())
                    .output("model", modelName + "/" + model.version())
                    .info("threshold", detector.threshold())
                    .info("model_source", model.source())
                    .info("read_seconds", String.format("%.3f", readSeconds))
                    .info("score_seconds", String.format("%.3f", verdicts.seconds()))
                    .info("store_seconds", String.format("%.3f", storeSeconds))
                    .info("incident_seconds", String.format("%.3f", stored.incidentSeconds()))
                    .info("families_named", verdicts.named().toString());
            return run.write(ManifestPaths.ofRun(work, "infer", String.valueOf(System.currentTimeMillis())));
        }
    }

    /** The model {@code loading} resolved, or what it failed with. */
    private static ResolvedModel loaded(Future<ResolvedModel> loading) throws Exception {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    /** Closes the model {@code loading} loads, once it has: the run failed before it was needed. */
    private static void discard(Future<ResolvedModel> loading) {
        try {
            loading.get().detector().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Loading failed as well: the run's own failure is the one to report.
        }
    }

    private static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }
}
