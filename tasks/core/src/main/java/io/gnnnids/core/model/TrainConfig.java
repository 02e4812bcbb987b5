package io.gnnnids.core.model;

/**
 * How to train an {@link EGraphSage}.
 *
 * @param threadCount PyTorch intra-op threads for the whole process; 0 keeps the engine's default (one per core)
 * @param batchEdges  windows are grouped into one optimiser step (and one validation forward pass) until their
 *                    edges would exceed this; a larger window is a step by itself
 * @param benignMix   share of the benign training flows that take one trait of another benign flow at each step
 *                    ({@link BenignMix}); 0 turns it off
 */
public record TrainConfig(
        int hidden,
        int layers,
        double dropout,
        double learningRate,
        int maxEpochs,
        int patience,
        long seed,
        int threadCount,
        int batchEdges,
        double benignMix) {

    /**
     * Edges per optimiser step by default: enough to make the engine's fixed cost per operation small against the
     * work (one step per 10-minute window of a few hundred flows cost 30-100x more per flow), few enough that an
     * epoch over a day or two of a small network still takes several steps.
     */
    public static final int DEFAULT_BATCH_EDGES = 16_384;

    /** See {@link BenignMix}: half of the benign flows, measured on generated networks (docs/benchmarks.md). */
    public static final double DEFAULT_BENIGN_MIX = 0.5;

    public TrainConfig {
        if (learningRate <= 0) throw new IllegalArgumentException("learning rate must be > 0");
        if (maxEpochs < 1) throw new IllegalArgumentException("max epochs must be >= 1");
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1");
        if (threadCount < 0) throw new IllegalArgumentException("thread count must be >= 0");
        if (batchEdges < 1) throw new IllegalArgumentException("edges per batch must be >= 1");
        if (!(benignMix >= 0 && benignMix <= 1))
            throw new IllegalArgumentException("benign mix must be in [0, 1], got " + benignMix);
    }

    /**
     * Hidden 128, 2 layers, dropout 0.2, at most 100 epochs with patience 10, {@link #DEFAULT_BATCH_EDGES} edges per
     * step. The learning rate is 1e-3: with batches of many windows an epoch has a few dozen steps instead of one
     * per window, and at 1e-4 the model was still improving after 100 epochs.
     */
    public static TrainConfig defaults(long seed) {
        return new TrainConfig(128, 2, 0.2, 1e-3, 100, 10, seed, 0, DEFAULT_BATCH_EDGES, DEFAULT_BENIGN_MIX);
    }

    public TrainConfig withMaxEpochs(int epochs) {
        return new TrainConfig(
                hidden, layers, dropout, learningRate, epochs, patience, seed, threadCount, batchEdges, benignMix);
    }

    public TrainConfig withPatience(int epochs) {
        return new TrainConfig(
                hidden, layers, dropout, learningRate, maxEpochs, epochs, seed, threadCount, batchEdges, benignMix);
    }

    public TrainConfig withLearningRate(double rate) {
        return new TrainConfig(
                hidden, layers, dropout, rate, maxEpochs, patience, seed, threadCount, batchEdges, benignMix);
    }

    public TrainConfig withHidden(int size) {
        return new TrainConfig(
                size, layers, dropout, learningRate, maxEpochs, patience, seed, threadCount, batchEdges, benignMix);
    }

    public TrainConfig withDropout(double rate) {
        return new TrainConfig(
                hidden, layers, rate, learningRate, maxEpochs, patience, seed, threadCount, batchEdges, benignMix);
    }

    public TrainConfig withThreadCount(int threads) {
        return new TrainConfig(
                hidden, layers, dropout, learningRate, maxEpochs, patience, seed, threads, batchEdges, benignMix);
    }

    public TrainConfig withBatchEdges(int edges) {
        return new TrainConfig(
                hidden, layers, dropout, learningRate, maxEpochs, patience, seed, threadCount, edges, benignMix);
    }

    public TrainConfig withBenignMix(double share) {
        return new TrainConfig(
                hidden, layers, dropout, learningRate, maxEpochs, patience, seed, threadCount, batchEdges, share);
    }

    EGraphSage.Architecture architecture(int nodeDim, int edgeDim) {
        return new EGraphSage.Architecture(nodeDim, edgeDim, hidden, layers, dropout);
    }
}
