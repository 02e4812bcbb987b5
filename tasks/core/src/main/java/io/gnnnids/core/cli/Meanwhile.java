package io.gnnnids.core.cli;

/**
 * Work a step will need soon, started on a second thread while the main one parses the options and sets up
 * logging. A short-lived step's start is one thread loading and initialising classes, and the machine's other core
 * waits meanwhile. Each piece only does early what the step's own code would do on first use (a library's static
 * tables, the JVM's platform MBean server), so a piece that fails costs nothing but its time: the step meets the
 * same work again and reports any failure itself.
 */
public final class Meanwhile {
    private Meanwhile() {}

    /** Runs {@code pieces} in order on a daemon thread, which never keeps the JVM from exiting. */
    public static void start(Runnable... pieces) {
        Thread thread = new Thread(
                () -> {
                    for (Runnable piece : pieces) {
                        try {
                            piece.run();
                        } catch (RuntimeException | LinkageError e) {
                            // The step does the same on its own thread and reports what goes wrong there.
                        }
                    }
                },
                "start-up");
        thread.setDaemon(true);
        thread.start();
    }
}
