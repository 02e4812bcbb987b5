package io.gnnnids.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands items, in order, to a sink that runs on its own thread, so the caller (polling and parsing) and the sink
 * (encoding and writing) use two cores. Items travel in chunks through a small bounded queue: the caller waits
 * when the sink falls behind, and a failure of the sink surfaces in the caller's next {@link #add} or in
 * {@link #finish}.
 */
public final class OrderedHandoff<T> implements AutoCloseable {

    /** Receives the items on the sink thread. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T item) throws Exception;
    }

    private static final int CHUNK = 1024;
    private static final int CHUNKS_IN_FLIGHT = 8;

    private final BlockingQueue<List<T>> queue = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT);
    private final List<T> end = new ArrayList<>(0);
    private final Thread thread;
    private volatile Exception failure;
    private volatile boolean aborted;
    private List<T> chunk = new ArrayList<>(CHUNK);
    private boolean finished;

    public OrderedHandoff(String threadName, Sink<T> sink) {
        thread = new Thread(() -> drain(sink), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void drain(Sink<T> sink) {
        try {
            while (true) {
                List<T> items = queue.take();
                if (items == end || aborted) return;
                for (T item : items) sink.accept(item);
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    public void add(T item) throws Exception {
        chunk.add(item);
        if (chunk.size() == CHUNK) {
            hand(chunk);
            chunk = new ArrayList<>(CHUNK);
        }
    }

    private void hand(List<T> items) throws Exception {
        while (!queue.offer(items, 50, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
        throwIfFailed();
    }

    private void throwIfFailed() throws Exception {
        Exception e = failure;
        if (e != null) throw e;
    }

    /** Hands the last items, waits until the sink took all of them, and throws the sink's failure, if any. */
    public void finish() throws Exception {
        if (!chunk.isEmpty()) hand(chunk);
        hand(end);
        thread.join();
        finished = true;
        throwIfFailed();
    }

    /** Without {@link #finish}: drops what is queued and stops the sink thread after its current chunk. */
    @Override
    public void close() throws InterruptedException {
        if (finished) return;
        aborted = true;
        queue.clear();
        queue.offer(end);
        thread.join();
    }
}
