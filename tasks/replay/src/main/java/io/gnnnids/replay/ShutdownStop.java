package io.gnnnids.replay;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a JVM shutdown (Ctrl-C, SIGTERM) end a send loop cleanly instead of in the middle: the shutdown hook asks the
 * loop to stop, then holds the shutdown until the loop has flushed its records, written its manifest and printed its
 * path ({@link #close}), at most {@link #GRACE_SECONDS} seconds.
 */
final class ShutdownStop implements AutoCloseable {

    static final long GRACE_SECONDS = 15;

    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "replay-stop");

    ShutdownStop() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean requested() {
        return requested;
    }

    private void onShutdown() {
        requested = true;
        try {
            finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop is done: a shutdown waiting for it may go on; without one, the hook is no longer needed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs already: it returns now that the latch is open
        }
    }
}
