package io.gnnnids.simulator;

import java.util.SplittableRandom;

/** Small random-draw helpers over SplittableRandom, so every draw stays on the seeded stream. */
final class Sampling {
    private Sampling() {}

    /** Index drawn in proportion to the (unnormalised) weights, given a uniform draw in [0,1). */
    static int pick(double[] weights, double u) {
        double total = 0;
        for (double w : weights) total += w;
        double x = u * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.length - 1;
    }

    /** Cumulative, normalised Zipf weights over n ranks, for {@link #pickCumulative}. */
    static double[] zipf(int n, double exponent) {
        double[] cum = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, exponent);
            cum[i] = sum;
        }
        for (int i = 0; i < n; i++) cum[i] /= sum;
        return cum;
    }

    /** Cumulative weights of a host list's activity, normalised to end at 1. */
    static double[] cumulativeActivity(java.util.List<Host> hosts) {
        double[] cum = new double[hosts.size()];
        double sum = 0;
        for (int i = 0; i < cum.length; i++) {
            sum += hosts.get(i).activity();
            cum[i] = sum;
        }
        for (int i = 0; i < cum.length; i++) cum[i] /= sum;
        return cum;
    }

    static int pickCumulative(double[] cum, double u) {
        int lo = 0;
        int hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Log-uniform long in [min, max]: sizes spread over orders of magnitude. */
    static long logUniform(SplittableRandom rng, long min, long max) {
        if (max <= min) return min;
        return Math.min(max, (long) (min * Math.exp(rng.nextDouble() * Math.log((double) max / min))));
    }

    static double logUniform(SplittableRandom rng, double min, double max) {
        return min * Math.exp(rng.nextDouble() * Math.log(max / min));
    }

    static long between(SplittableRandom rng, long min, long max) {
        return max <= min ? min : min + rng.nextLong(max - min + 1);
    }

    static double exponential(SplittableRandom rng) {
        return -Math.log(1 - rng.nextDouble());
    }

    static <T> T any(T[] items, SplittableRandom rng) {
        return items[rng.nextInt(items.length)];
    }

    static <T> T any(java.util.List<T> items, SplittableRandom rng) {
        return items.get(rng.nextInt(items.size()));
    }
}
