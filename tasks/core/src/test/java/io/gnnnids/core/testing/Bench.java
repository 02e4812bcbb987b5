package io.gnnnids.core.testing;

/**
 * The one way a benchmark reports: a {@code bench.<name> <value> <unit>} line on stdout, which {@code make bench}
 * collects. Every benchmark is a {@code *Benchmark} class tagged {@code bench}: the normal test run skips them.
 */
public final class Bench {
    private Bench() {}

    public static void print(String name, double value, String unit) {
        System.out.printf(
                "%s %s %s%n",
                name, value >= 100 ? String.valueOf(Math.round(value)) : String.format("%.4f", value), unit);
        System.out.flush();
    }

    /** Items per second over the time since {@code startNanos}. */
    public static double perSecond(long items, long startNanos) {
        return items / ((System.nanoTime() - startNanos) / 1e9);
    }
}
