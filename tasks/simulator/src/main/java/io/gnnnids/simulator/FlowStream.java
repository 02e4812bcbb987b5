package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import java.util.SplittableRandom;

/**
 * A run of related flows with its own clock: a device beaconing every few minutes, a scan firing SYNs, a
 * backup job. It emits exactly {@code count} flows, either periodically with jitter or as a Poisson process,
 * never before {@code first} and never at or after {@code end}, in non-decreasing time order.
 */
final class FlowStream {

    /** Builds the flow a stream emits at a given time. */
    interface Maker {
        Flow make(double ts, FlowFactory factory);
    }

    private final Maker maker;
    private final double period;
    private final double jitter;
    private final boolean poisson;
    private final double end;
    private double nominal;
    private double next;
    private long remaining;

    private FlowStream(
            double first, long count, double period, double jitter, boolean poisson, double end, Maker maker) {
        this.maker = maker;
        this.period = period;
        this.jitter = jitter;
        this.poisson = poisson;
        this.end = end;
        this.nominal = first;
        this.next = clamp(first, first);
        this.remaining = count;
    }

    /** Every {@code period} seconds from {@code first}, each time moved by up to ±jitter×period (jitter < 0.5). */
    static FlowStream periodic(double first, long count, double period, double jitter, double end, Maker maker) {
        return new FlowStream(first, count, period, Math.min(jitter, 0.45), false, end, maker);
    }

    /** Random arrivals averaging one per {@code meanGap} seconds from {@code first}. */
    static FlowStream poisson(double first, long count, double meanGap, double end, Maker maker) {
        return new FlowStream(first, count, meanGap, 0, true, end, maker);
    }

    boolean hasNext() {
        return remaining > 0;
    }

    double nextTime() {
        return next;
    }

    Flow emit(FlowFactory factory) {
        SplittableRandom rng = factory.rng();
        Flow f = maker.make(micros(next), factory);
        remaining--;
        double previous = next;
        if (poisson) {
            next = clamp(previous + period * Sampling.exponential(rng), previous);
        } else {
            nominal += period;
            next = clamp(nominal + (2 * rng.nextDouble() - 1) * jitter * period, previous);
        }
        return f;
    }

    private double clamp(double t, double notBefore) {
        return Math.min(Math.max(t, notBefore), end - 1e-6);
    }

    static double micros(double t) {
        return Math.floor(t * 1e6) / 1e6;
    }
}
