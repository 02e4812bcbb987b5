package io.gnnnids.core.model;

/** How the model benchmarks train: the defaults, with {@code -Dnids.benign.mix=<share>} to compare another share. */
final class BenchTraining {
    private BenchTraining() {}

    static TrainConfig config(long seed) {
        String mix = System.getProperty("nids.benign.mix");
        TrainConfig config = TrainConfig.defaults(seed);
        return mix == null ? config : config.withBenignMix(Double.parseDouble(mix));
    }
}
