package io.gnnnids.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.gnnnids.core.graph.EdgeGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an {@link EGraphSage} on labelled graphs (one graph per time window).
 *
 * <p>Each epoch shuffles the training graphs by the seed and takes one Adam step per batch of consecutive graphs
 * (their disjoint union, up to {@link TrainConfig#batchEdges()} edges), then measures the class-weighted
 * cross-entropy on the validation graphs. Training stops when that loss has not improved for
 * {@code patience} epochs, and the model of the best epoch is returned. Only edges labelled 0 or 1 and marked
 * scored count in any loss. The same seed and data give the same weights: initialisation and graph order come from
 * the seed, dropout from PyTorch's generator seeded with it, and PyTorch's CPU kernels used here are deterministic
 * for a fixed thread count.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final Consumer<EpochReport> onEpoch;
    private final UnaryOperator<EdgeGraph> augment;

    /** @param onEpoch called after every epoch, e.g. to log metrics */
    public Trainer(Consumer<EpochReport> onEpoch) {
        this(onEpoch, UnaryOperator.identity());
    }

    /** @param augment applied to every training batch before its step (never to validation) */
    Trainer(Consumer<EpochReport> onEpoch, UnaryOperator<EdgeGraph> augment) {
        this.onEpoch = onEpoch;
        this.augment = augment;
    }

    public Trainer() {
        this(report -> {});
    }

    public TrainResult train(List<EdgeGraph> train, List<EdgeGraph> validation, TrainConfig cfg) {
        if (train.isEmpty()) throw new IllegalArgumentException("no training graphs");
        EdgeGraph first = train.get(0);
        double[] classWeights = classWeights(train);
        List<EdgeGraph> learnable = train.stream().filter(Trainer::hasTargets).toList();
        List<Validation> validationBatches = new ArrayList<>();
        for (List<EdgeGraph> run : GraphBatch.group(validation, cfg.batchEdges())) {
            GraphBatch batch = GraphBatch.of(run);
            validationBatches.add(new Validation(batch, Targets.of(batch.graph(), classWeights)));
        }
        boolean validating = validationBatches.stream().anyMatch(v -> v.targets.totalWeight > 0);
        if (!validating)
            LOG.warn(
                    "No labelled validation edges: training runs all {} epochs without early stopping",
                    cfg.maxEpochs());

        Engine engine = Djl.init();
        if (cfg.threadCount() > 0) JniUtils.setNumThreads(cfg.threadCount());
        engine.setRandomSeed((int) cfg.seed());
        Random order = new Random(cfg.seed());
        EGraphSage model = EGraphSage.create(cfg.architecture(first.nodeDim(), first.edgeDim()), cfg.seed());
        try {
            train.forEach(model::checkFits);
            validation.forEach(model::checkFits);
            return run(model, learnable, validationBatches, validating, classWeights, cfg, engine, order);
        } finally {
            model.close();
        }
    }

    private TrainResult run(
            EGraphSage model,
            List<EdgeGraph> train,
            List<Validation> validation,
            boolean validating,
            double[] classWeights,
            TrainConfig cfg,
            Engine engine,
            Random order) {
        List<EpochReport> history = new ArrayList<>();
        float[][] best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        boolean stoppedEarly = false;
        model.requireGradients(true);
        try (NDManager trainingState = engine.newBaseManager();
                Adam adam = new Adam(trainingState, model.parameters(), cfg.learningRate())) {
            List<EdgeGraph> epochOrder = new ArrayList<>(train);
            for (int epoch = 1; epoch <= cfg.maxEpochs(); epoch++) {
                long start = System.nanoTime();
                // Windows are shuffled, then batched: each epoch's steps mix other windows.
                Collections.shuffle(epochOrder, order);
                double lossSum = 0;
                int steps = 0;
                for (List<EdgeGraph> run : GraphBatch.group(epochOrder, cfg.batchEdges())) {
                    lossSum += step(
                            model,
                            adam,
                            Targets.of(augment.apply(GraphBatch.of(run).graph()), classWeights),
                            engine,
                            trainingState);
                    steps++;
                }
                double trainLoss = lossSum / Math.max(1, steps);
                List<float[]> scores = new ArrayList<>();
                double validationLoss = validate(model, validation, scores, trainingState);
                EpochReport report =
                        new EpochReport(epoch, trainLoss, validationLoss, scores, (System.nanoTime() - start) / 1e9);
                LOG.info(
                        "Epoch {}: train loss {}, validation loss {} ({} steps, {} s)",
                        epoch,
                        String.format("%.5f", trainLoss),
                        String.format("%.5f", validationLoss),
                        steps,
                        String.format("%.1f", report.seconds()));
                history.add(new EpochReport(epoch, trainLoss, validationLoss, List.of(), report.seconds()));
                onEpoch.accept(report);
                if (!validating) {
                    bestEpoch = epoch;
                } else if (validationLoss < bestLoss) {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    best = model.snapshot();
                } else if (epoch - bestEpoch >= cfg.patience()) {
                    stoppedEarly = true;
                    LOG.info(
                            "Validation loss has not improved for {} epochs: keeping epoch {}",
                            cfg.patience(),
                            bestEpoch);
                    break;
                }
            }
        } finally {
            model.requireGradients(false);
        }
        EGraphSage result = model.withValues(best != null ? best : model.snapshot());
        return new TrainResult(
                result,
                bestEpoch,
                validating ? bestLoss : Double.NaN,
                stoppedEarly,
                classWeights,
                List.copyOf(history));
    }

    /** One forward, backward and Adam step on one batch of graphs; returns the loss. */
    private static double step(EGraphSage model, Adam adam, Targets t, Engine engine, NDManager parent) {
        try (NDManager step = parent.newSubManager()) {
            GraphArrays g = GraphArrays.of(step, t.graph);
            NDArray targets = step.create(t.weights, new Shape(t.graph.edges(), 2));
            double loss;
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray lossArray = weightedLoss(model.logits(model.edgeHidden(g, true)), targets)
                        .div((float) t.totalWeight);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            JniUtils.setGradMode(false); // the update itself must not be recorded
            adam.step(step);
            return loss;
        }
    }

    /** Sum over edges of -w_y log p_y; the target matrix holds w_y in column y and zeros elsewhere. */
    private static NDArray weightedLoss(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum().neg();
    }

    /** Class-weighted loss over every validation edge; adds each graph's scores to {@code scores}, in order. */
    private static double validate(
            EGraphSage model, List<Validation> validation, List<float[]> scores, NDManager parent) {
        JniUtils.setGradMode(false);
        double lossSum = 0;
        double weightSum = 0;
        for (Validation v : validation) {
            Targets t = v.targets;
            if (t.graph.edges() == 0) {
                scores.addAll(v.batch.split(new float[0]));
                continue;
            }
            try (NDManager call = parent.newSubManager()) {
                NDArray hidden = model.edgeHidden(GraphArrays.forScoring(call, t.graph), false);
                NDArray logits = model.logits(hidden);
                scores.addAll(v.batch.split(model.attackProbability(hidden).toFloatArray())); // as score() gives
                if (t.totalWeight > 0) {
                    lossSum += weightedLoss(logits, call.create(t.weights, new Shape(t.graph.edges(), 2)))
                            .getFloat();
                    weightSum += t.totalWeight;
                }
            }
        }
        return weightSum > 0 ? lossSum / weightSum : Double.NaN;
    }

    /** True when the graph has an edge labelled benign or attack that is to be scored: one the loss can use. */
    private static boolean hasTargets(EdgeGraph g) {
        if (g.labels() == null) return false;
        for (int i = 0; i < g.edges(); i++) {
            int label = g.labels()[i];
            if ((label == 0 || label == 1) && g.isScored(i)) return true;
        }
        return false;
    }

    /** A batch of validation graphs with its loss weights, built once for all epochs. */
    private record Validation(GraphBatch batch, Targets targets) {}

    /**
     * Inverse class frequency over the labelled, scored training edges, normalised so that a balanced set gets
     * weight 1 for both classes: {@code w_c = n / (2 n_c)}.
     */
    static double[] classWeights(List<EdgeGraph> train) {
        long[] counts = new long[2];
        for (EdgeGraph g : train) {
            if (g.labels() == null) continue;
            for (int i = 0; i < g.edges(); i++) {
                int label = g.labels()[i];
                if ((label == 0 || label == 1) && g.isScored(i)) counts[label]++;
            }
        }
        long n = counts[0] + counts[1];
        if (n == 0) throw new IllegalArgumentException("the training graphs have no edges labelled benign or attack");
        return new double[] {counts[0] == 0 ? 0 : n / (2.0 * counts[0]), counts[1] == 0 ? 0 : n / (2.0 * counts[1])};
    }

    /** A graph with its per-edge loss weights laid out as an E x 2 matrix (w_y in column y). */
    private record Targets(EdgeGraph graph, float[] weights, double totalWeight) {
        static Targets of(EdgeGraph g, double[] classWeights) {
            float[] w = new float[2 * g.edges()];
            double total = 0;
            if (g.labels() != null) {
                for (int i = 0; i < g.edges(); i++) {
                    int label = g.labels()[i];
                    if ((label == 0 || label == 1) && g.isScored(i)) {
                        w[2 * i + label] = (float) classWeights[label];
                        total += (float) classWeights[label];
                    }
                }
            }
            return new Targets(g, w, total);
        }
    }
}
