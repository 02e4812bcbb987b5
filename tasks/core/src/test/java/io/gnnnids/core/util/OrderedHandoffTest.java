package io.gnnnids.core.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderedHandoffTest {

    /** Doubles each item, after a random pause so that chunks finish out of order. */
    private static List<Integer> slowlyDoubled(List<Integer> chunk) throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        List<Integer> out = new ArrayList<>(chunk.size());
        for (int i : chunk) out.add(2 * i);
        return out;
    }

    @Test
    void theSinkGetsEveryTransformedItemInTheOrderItWasAdded() throws Exception {
        List<Integer> received = new ArrayList<>();
        int n = 50_000; // many chunks, the last one partial
        try (OrderedHandoff<Integer, Integer> h = new OrderedHandoff<>("t", 3, OrderedHandoffTest::slowlyDoubled, received::add)) {
            for (int i = 0; i < n; i++) h.add(i);
            h.finish();
        }
        assertEquals(n, received.size());
        for (int i = 0; i < n; i++) assertEquals(2 * i, received.get(i));
    }

    @Test
    void aTransformThatFailsSurfacesInTheCaller() throws Exception {
        IllegalStateException boom = new IllegalStateException("cannot parse");
        try (OrderedHandoff<Integer, Integer> h = new OrderedHandoff<>("t", 2, chunk -> {
            if (chunk.contains(3000)) throw boom;
            return chunk;
        }, item -> { })) {
            Exception e = assertThrows(Exception.class, () -> {
                for (int i = 0; i < 100_000; i++) h.add(i);
                h.finish();
            });
            assertSame(boom, e);
        }
    }

    @Test
    void aSinkThatFailsSurfacesInFinish() throws Exception {
        try (OrderedHandoff<Integer, Integer> h = new OrderedHandoff<>("t", 2, chunk -> chunk, item -> {
            if (item == 5) throw new java.io.IOException("disk full");
        })) {
            for (int i = 0; i < 10; i++) h.add(i);
            Exception e = assertThrows(java.io.IOException.class, h::finish);
            assertEquals("disk full", e.getMessage());
        }
    }

    @Test
    void closingWithoutFinishingStopsTheThreads() throws Exception {
        AtomicInteger sunk = new AtomicInteger();
        OrderedHandoff<Integer, Integer> h = new OrderedHandoff<>("closing", 2, chunk -> chunk, item -> sunk.incrementAndGet());
        for (int i = 0; i < 5000; i++) h.add(i);
        h.close();
        assertTrue(sunk.get() <= 5000);
        Thread.sleep(50);
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("closing-") && t.isAlive()),
                "no thread of the handoff is left running");
    }
}
