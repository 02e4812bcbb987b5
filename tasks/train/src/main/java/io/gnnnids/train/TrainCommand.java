package io.gnnnids.train;

import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.ColdStoreOption;
import io.gnnnids.core.cli.DurationConverter;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.ModelRegistryOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.TimeRangeConverter;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.Refused;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.mlflow.Mlflow;
import io.gnnnids.core.mlflow.ModelCache;
import io.gnnnids.core.mlflow.ModelTraining;
import io.gnnnids.core.model.Baseline;
import io.gnnnids.core.model.OperatingPoint;
import io.gnnnids.core.model.TrainConfig;
import io.gnnnids.core.model.TrainingData;
import io.gnnnids.core.model.TrainingRun;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.util.TimeRange;
import io.gnnnids.simulator.AttackOverlay;
import io.gnnnids.simulator.GeneratedNetworks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "train",
        description = {
            "Trains a new version of the GNN on the labelled flows of the cold store's last --days up to "
                    + "--end-date (chronological train / validation / test split) and on --synthetic-networks "
                    + "generated "
                    + "networks (split by network). Early stopping on validation loss; the decision threshold flags "
                    + "--target-fpr of the validation benign flows. Logs the run to MLflow (experiment "
                    + "gnn-nids-binary-training), registers a model version if it passes the quality gate and moves "
                    + "the "
                    + "alias 'champion' per --promote."
        })
public class TrainCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(TrainCommand.class);

    enum Promote {
        IF_BETTER,
        ALWAYS,
        NEVER
    }

    @Mixin
    ColdStoreOption cold;

    @Option(
            names = "--days",
            defaultValue = "21",
            description = "Days of labelled cold-store flows to read; 0 reads none (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--end-date", description = "Last day to read, YYYY-MM-DD (default today, UTC).")
    LocalDate endDate;

    @Mixin
    ModelRegistryOptions registry;

    @Option(
            names = "--min-pr-auc",
            defaultValue = "0.95",
            description = "Quality gate: the test PR-AUC (average precision; it does not depend on the threshold) the "
                    + "model must reach to be registered (default ${DEFAULT-VALUE}).")
    double minPrAuc;

    @Option(
            names = "--min-f1",
            defaultValue = "0",
            description = "Quality gate: the test F1 at the chosen threshold the model must reach too (default "
                    + "${DEFAULT-VALUE}, no limit).")
    double minF1;

    @Option(
            names = "--target-fpr",
            defaultValue = "0.01",
            description = "Operating point: the decision threshold flags at most this share of the validation benign "
                    + "flows of each source (the deployment's days, the baseline, each generated network), and is "
                    + "never below 0.5, even odds (default ${DEFAULT-VALUE}).")
    double targetFpr;

    @Option(
            names = "--threshold-rule",
            defaultValue = "target-fpr",
            converter = ThresholdRuleConverter.class,
            description = "How the threshold is chosen on validation: target-fpr or max-f1 (default ${DEFAULT-VALUE}).")
    OperatingPoint.Rule thresholdRule;

    @Option(
            names = "--synthetic-networks",
            defaultValue = "0",
            description = "Generated networks to train, validate and test on besides the cold store's flows: many "
                    + "networks of many sizes teach what carries over to a network never seen (default "
                    + "${DEFAULT-VALUE}).")
    int syntheticNetworks;

    @Option(
            names = "--baseline",
            converter = TimeRangeConverter.class,
            description = "Learn this network's normal traffic: every cold-store flow of the period FROM..TO "
                    + "(YYYY-MM-DD..YYYY-MM-DD, or ISO instants) counts as benign, except those a model of generated "
                    + "networks flags (left out and reported), and attacks generated onto the network's own hosts and "
                    + "services are the positives. Needs no labels: the first training on a new network.")
    TimeRange baseline;

    @Option(
            names = "--synthetic-flows",
            defaultValue = "40000",
            description = "Flows per generated network, on average (default ${DEFAULT-VALUE}).")
    long syntheticFlows;

    @Option(
            names = "--promote",
            defaultValue = "if-better",
            converter = PromoteConverter.class,
            description = "Move the alias 'champion' to the new version: if-better (beats the champion on the same "
                    + "test window), always, never (default ${DEFAULT-VALUE}).")
    Promote promote;

    @Mixin
    WorkDirOption workDir;

    @Option(
            names = "--window",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Time window of one graph (default ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--node-key",
            defaultValue = "ip",
            converter = NodeKeyConverter.class,
            description = "Graph nodes: ip, or ip-port for responders (default ${DEFAULT-VALUE}).")
    NodeKey nodeKey;

    @Option(
            names = "--max-epochs",
            defaultValue = "100",
            description = "Most training epochs (default ${DEFAULT-VALUE}).")
    int maxEpochs;

    @Option(
            names = "--patience",
            defaultValue = "10",
            description = "Epochs without a better validation loss before stopping (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(
            names = "--learning-rate",
            defaultValue = "0.001",
            description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(
            names = "--benign-mix",
            defaultValue = "" + TrainConfig.DEFAULT_BENIGN_MIX,
            description = "Share of the benign training flows that take one trait (what, how it ended, volume, "
                    + "conversation) of another benign flow at each step, so that a new combination of normal traits "
                    + "is not taken for an attack; 0 turns it off (default ${DEFAULT-VALUE}).")
    double benignMix;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of initialisation and shuffling (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--min-flows",
            defaultValue = "1000",
            description = "Fewest labelled flows worth training on (default ${DEFAULT-VALUE}).")
    long minFlows;

    public static void main(String[] args) {
        Cli.main(TrainCommand::new, args);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(
                ExitCode.REFUSED, "refused by the quality gate", ExitCode.NOTHING_TO_DO, "too little labelled data");
    }

    @Override
    protected Path run() throws Exception {
        String coldUri = days > 0 || baseline != null ? cold.uri() : null;
        String trackingUri = registry.trackingUri();
        String modelName = registry.modelName();
        if (days < 0) throw new UsageError("--days must be 0 or more, got " + days);
        if (days == 0 && syntheticNetworks == 0 && baseline == null) {
            throw new UsageError("nothing to train on: --days 0 reads no cold-store flows; give --days, --baseline or "
                    + "--synthetic-networks");
        }
        if (syntheticNetworks < 0)
            throw new UsageError("--synthetic-networks must be 0 or more, got " + syntheticNetworks);
        if (syntheticFlows < 1_000)
            throw new UsageError("--synthetic-flows must be at least 1000, got " + syntheticFlows);
        if (minPrAuc < 0 || minPrAuc > 1) throw new UsageError("--min-pr-auc must be between 0 and 1, got " + minPrAuc);
        if (minF1 < 0 || minF1 > 1) throw new UsageError("--min-f1 must be between 0 and 1, got " + minF1);
        if (!(benignMix >= 0 && benignMix <= 1))
            throw new UsageError("--benign-mix must be in [0, 1], got " + benignMix);
        if (!(targetFpr >= 0 && targetFpr < 1))
            throw new UsageError("--target-fpr must be in [0, 1), got " + targetFpr);
        LocalDate last = endDate != null ? endDate : LocalDate.now(ZoneOffset.UTC);
        LocalDate first = last.minusDays(Math.max(days, 1) - 1L);
        Path work = workDir.path();
        StepRun run = new StepRun("train");

        TrainingData data = days > 0
                ? TrainingData.read(coldUri, first, last, work.resolve("cold-cache"), window)
                : TrainingData.of(List.of(), 0, window);
        TrainConfig config = TrainConfig.defaults(seed)
                .withMaxEpochs(maxEpochs)
                .withPatience(patience)
                .withLearningRate(learningRate)
                .withBenignMix(benignMix);
        OperatingPoint operatingPoint = new OperatingPoint(thresholdRule, targetFpr);
        TrainingRun.Split split = TrainingRun.chronological(data.windows(), 0.70, 0.15);
        // A baseline is screened by a model of generated networks, so it needs some.
        int networks = baseline != null ? Math.max(syntheticNetworks, Baseline.DEFAULT_NETWORKS) : syntheticNetworks;
        TrainingRun.Split generated = null;
        if (networks > 0) {
            log.info("generating {} networks of about {} flows each", networks, syntheticFlows);
            generated = GeneratedNetworks.split(
                    GeneratedNetworks.generate(seed, networks, syntheticFlows, window), 0.15, 0.15);
        }
        Baseline.Prepared prepared = null;
        if (baseline != null) {
            List<Flow> observed = TrainingData.readPeriod(coldUri, baseline, work.resolve("cold-cache"));
            if (observed.size() < minFlows) {
                throw new NothingToDo("too few flows in the baseline " + baseline + " of " + coldUri + ": "
                        + observed.size() + ", need at least " + minFlows + " (--min-flows); choose a longer period");
            }
            log.info(
                    "screening the baseline's {} flows with a model of {} generated networks",
                    observed.size(),
                    networks);
            prepared = Baseline.prepare(
                    observed, generated, AttackOverlay.drawnFrom(seed), config, nodeKey, window, operatingPoint);
            log.info(
                    "baseline: {} flows counted benign, {} left out as flagged by the screen, {} attack flows "
                            + "generated onto its hosts",
                    prepared.screened().benign(),
                    prepared.screened().leftOut().size(),
                    prepared.attacks());
            String doubt = prepared.screened().doubt(String.valueOf(baseline));
            if (doubt != null) {
                log.warn(doubt);
            }
            split = split.plus(prepared.split());
        } else if (generated != null) {
            split = split.plus(generated);
        }
        String shortage = TrainingData.shortage(split, minFlows);
        if (shortage != null) {
            throw new NothingToDo("too little labelled data in " + coldUri + " from " + first + " to " + last + ": "
                    + shortage + " (" + data.labelledFlows() + " labelled of " + data.totalFlows() + " flows)");
        }

        try (Mlflow mlflow = new Mlflow(trackingUri)) {
            ModelTraining training = new ModelTraining(mlflow, modelName, new ModelCache(work.resolve("models")));
            ModelTraining.Gate gate = new ModelTraining.Gate(minPrAuc, minF1);
            ModelTraining.Sources sources = new ModelTraining.Sources(
                    data, days > 0 ? first : null, last, networks, syntheticFlows, baseline, prepared);
            ModelTraining.Result r = training.train(
                    split,
                    config,
                    nodeKey,
                    window,
                    operatingPoint,
                    sources,
                    gate,
                    promote == Promote.ALWAYS,
                    promote == Promote.IF_BETTER);
            run.count("flows", data.totalFlows())
                    .count("labelled_flows", data.labelledFlows())
                    .count("train_flows", split.flows(split.train()))
                    .count("validation_flows", split.flows(split.validation()))
                    .count("test_flows", split.flows(split.test()))
                    .output("mlflow_run", r.runId())
                    .info("test_pr_auc", r.test().prAuc())
                    .info("test_f1", r.test().f1())
                    .info("test_fpr", r.test().falsePositiveRate())
                    .info("threshold", r.threshold())
                    .info("data_from", first)
                    .info("data_to", last);
            if (r.version() != null) {
                run.output("model_version", modelName + "/" + r.version()).info("champion", r.promoted());
            }
            if (!r.passedGate()) {
                run.write(ManifestPaths.ofRun(work, "train", r.runId()));
                throw new Refused(String.format(
                        "quality gate failed: %s (test PR-AUC %.4f, F1 %.4f, precision %.4f, "
                                + "detection rate %.4f, false-positive rate %.4f on %d test flows); no version "
                                + "registered, "
                                + "see MLflow run %s",
                        gate.failure(r.test()),
                        r.test().prAuc(),
                        r.test().f1(),
                        r.test().precision(),
                        r.test().recall(),
                        r.test().falsePositiveRate(),
                        r.test().tp() + r.test().fp() + r.test().tn() + r.test().fn(),
                        r.runId()));
            }
            return run.write(ManifestPaths.ofRun(work, "train", r.runId()));
        }
    }

    /** Accepts if-better / always / never. */
    static final class PromoteConverter implements picocli.CommandLine.ITypeConverter<Promote> {
        @Override
        public Promote convert(String value) {
            return Promote.valueOf(value.trim().toUpperCase().replace('-', '_'));
        }
    }

    /** Accepts target-fpr / max-f1. */
    static final class ThresholdRuleConverter implements picocli.CommandLine.ITypeConverter<OperatingPoint.Rule> {
        @Override
        public OperatingPoint.Rule convert(String value) {
            return OperatingPoint.Rule.valueOf(value.trim().toUpperCase().replace('-', '_'));
        }
    }

    /** Accepts ip / ip-port. */
    static final class NodeKeyConverter implements picocli.CommandLine.ITypeConverter<NodeKey> {
        @Override
        public NodeKey convert(String value) {
            return NodeKey.valueOf(value.trim().toUpperCase().replace('-', '_'));
        }
    }
}
