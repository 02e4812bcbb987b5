package io.gnnnids.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a send loop to a target rate (flows per second; 0 means as fast as possible) and logs progress to
 * stderr every few seconds.
 */
public final class Pacer {
    private static final Logger log = LoggerFactory.getLogger(Pacer.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final double rate;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastProgress = startNanos;
    private long count;

    /** @param total expected number of flows, or -1 when unknown (for progress only) */
    public Pacer(double rate, long total) {
        this.rate = rate;
        this.total = total;
    }

    /**
     * Counts one flow, sleeping first if the loop runs more than a millisecond ahead of the rate: at high rates the
     * flows go out in bursts of a millisecond's worth, at low rates one at a time.
     */
    public void tick() throws InterruptedException {
        count++;
        if (rate > 0) {
            long due = startNanos + (long) (count / rate * 1e9);
            long ahead = due - System.nanoTime();
            if (ahead > 1_000_000) Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
        }
        if ((count & 4095) == 0) {
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
                lastProgress = now;
                log.info(
                        "{} flows{} sent ({} flows/s)",
                        count,
                        total > 0 ? " of " + total : "",
                        Math.round(perSecond()));
            }
        }
    }

    public long count() {
        return count;
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public double perSecond() {
        double s = seconds();
        return s > 0 ? count / s : 0;
    }
}
