package io.gnnnids.core.graph;

import io.gnnnids.core.flow.Flow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Cuts a ts-ordered flow stream into graph windows. Windows are aligned to the epoch (a 10-minute window starts
 * at :00, :10, ...), so training and inference cut the same traffic the same way whatever the first flow.
 *
 * <p>Default 10 minutes: scans, floods and brute force show within a minute or two, but C&C beacons every
 * 20 s to 10 min, and a window must hold several beats for the beaconing host to stand out by its repeated
 * flows to one peer; longer windows would mostly add benign noise and memory. A window with more than
 * {@code maxEdges} flows is split into consecutive parts of at most that many.
 *
 * <p>Zeek writes a record when the connection ends, so ts (its start) can run slightly backwards: a flow whose
 * ts falls before the current window joins the current window rather than reopening a closed one.
 */
public final class GraphWindows {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_EDGES = 200_000;

    private GraphWindows() {}

    /** All windows of the stream, in order. */
    public static List<List<Flow>> byWindow(Iterator<Flow> flows, Duration window, int maxEdges) {
        List<List<Flow>> out = new ArrayList<>();
        stream(flows, window, maxEdges).forEachRemaining(out::add);
        return out;
    }

    /** The windows one at a time, holding only the current one in memory. */
    public static Iterator<List<Flow>> stream(Iterator<Flow> flows, Duration window, int maxEdges) {
        double seconds = window.toNanos() / 1e9;
        if (!(seconds > 0)) throw new IllegalArgumentException("graph window must be positive, got " + window);
        if (maxEdges < 1)
            throw new IllegalArgumentException("max edges per window must be at least 1, got " + maxEdges);
        return new Iterator<>() {
            private Flow pending = flows.hasNext() ? flows.next() : null;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public List<Flow> next() {
                if (pending == null) throw new NoSuchElementException();
                double end = (Math.floor(pending.ts() / seconds) + 1) * seconds;
                List<Flow> part = new ArrayList<>();
                part.add(pending);
                pending = null;
                while (flows.hasNext()) {
                    Flow f = flows.next();
                    if (f.ts() >= end || part.size() >= maxEdges) {
                        pending = f;
                        break;
                    }
                    part.add(f);
                }
                return part;
            }
        };
    }
}
