package io.gnnnids.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A two-stage pipeline behind one producer: the items the caller adds are transformed in chunks on a pool of
 * workers, several chunks at once, and the results reach a sink on its own thread in the order the items were
 * added. So the caller (polling) only collects, the transform (parsing) runs on every core, and the sink
 * (encoding and writing) overlaps both. At most a few chunks are in flight: the caller waits when the sink falls
 * behind. A failure of the transform or of the sink surfaces in the caller's next {@link #add} or in
 * {@link #finish}.
 */
public final class OrderedHandoff<I, O> implements AutoCloseable {

    /** Turns one chunk of items into the sink's items; runs on a worker, possibly beside other chunks. */
    @FunctionalInterface
    public interface Transform<I, O> {
        List<O> apply(List<I> chunk) throws Exception;
    }

    /** Receives the transformed items, in order, on the sink thread. */
    @FunctionalInterface
    public interface Sink<O> {
        void accept(O item) throws Exception;
    }

    private static final int CHUNK = 1024;

    private final Transform<I, O> transform;
    private final ExecutorService workers;
    private final BlockingQueue<Future<List<O>>> queue;
    private final Future<List<O>> end = CompletableFuture.completedFuture(null);
    private final Thread sinkThread;
    private volatile Exception failure;
    private volatile boolean aborted;
    private List<I> chunk = new ArrayList<>(CHUNK);
    private boolean finished;

    /**
     * @param name    names the threads
     * @param workers how many chunks are transformed at once
     */
    public OrderedHandoff(String name, int workers, Transform<I, O> transform, Sink<O> sink) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        this.transform = transform;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> daemon(r, name + "-worker-" + n.incrementAndGet()));
        this.queue = new ArrayBlockingQueue<>(2 * workers + 2);
        this.sinkThread = daemon(() -> drain(sink), name + "-sink");
        sinkThread.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void drain(Sink<O> sink) {
        try {
            while (true) {
                Future<List<O>> next = queue.take();
                if (next == end || aborted) return;
                for (O item : next.get()) sink.accept(item);
            }
        } catch (ExecutionException e) {
            failure = e.getCause() instanceof Exception cause ? cause : e;
        } catch (Exception e) {
            failure = e;
        }
    }

    public void add(I item) throws Exception {
        chunk.add(item);
        if (chunk.size() == CHUNK) {
            List<I> full = chunk;
            chunk = new ArrayList<>(CHUNK);
            hand(workers.submit(() -> transform.apply(full)));
        }
    }

    private void hand(Future<List<O>> transformed) throws Exception {
        while (!queue.offer(transformed, 50, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
        throwIfFailed();
    }

    private void throwIfFailed() throws Exception {
        Exception e = failure;
        if (e != null) throw e;
    }

    /** Hands the last items, waits until the sink took all of them, and throws the first failure, if any. */
    public void finish() throws Exception {
        if (!chunk.isEmpty()) {
            List<I> last = chunk;
            chunk = new ArrayList<>(0);
            hand(workers.submit(() -> transform.apply(last)));
        }
        hand(end);
        sinkThread.join();
        workers.shutdown();
        finished = true;
        throwIfFailed();
    }

    /** Without {@link #finish}: drops what is queued and stops the threads after their current chunk. */
    @Override
    public void close() throws InterruptedException {
        if (finished) return;
        aborted = true;
        queue.clear();
        queue.offer(end);
        sinkThread.join();
        workers.shutdownNow();
    }
}
