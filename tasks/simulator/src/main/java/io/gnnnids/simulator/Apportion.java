package io.gnnnids.simulator;

/** Splits a whole number into parts proportional to weights, the parts summing exactly to the whole. */
final class Apportion {
    private Apportion() {}

    static long[] byWeights(long total, double[] weights) {
        double sum = 0;
        for (double w : weights) sum += w;
        long[] out = new long[weights.length];
        if (sum <= 0) {
            if (out.length > 0) out[0] = total;
            return out;
        }
        double cumulative = 0;
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            long upTo = i == weights.length - 1 ? total : (long) Math.floor(total * (cumulative / sum));
            upTo = Math.max(given, Math.min(total, upTo));
            out[i] = upTo - given;
            given = upTo;
        }
        return out;
    }
}
