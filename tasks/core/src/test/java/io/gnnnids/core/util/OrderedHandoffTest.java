package io.gnnnids.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrderedHandoffTest {

    @Test
    void theSinkGetsEveryItemInTheOrderItWasAdded() throws Exception {
        List<Integer> received = new ArrayList<>();
        int n = 50_000; // many chunks, the last one partial
        try (OrderedHandoff<Integer> h = new OrderedHandoff<>("t", received::add)) {
            for (int i = 0; i < n; i++) h.add(i);
            h.finish();
        }
        assertEquals(n, received.size());
        for (int i = 0; i < n; i++) assertEquals(i, received.get(i));
    }

    @Test
    void aSinkThatFailsSurfacesInFinish() throws Exception {
        try (OrderedHandoff<Integer> h = new OrderedHandoff<>("t", item -> {
            if (item == 5) throw new java.io.IOException("disk full");
        })) {
            for (int i = 0; i < 10; i++) h.add(i);
            Exception e = assertThrows(java.io.IOException.class, h::finish);
            assertEquals("disk full", e.getMessage());
        }
    }

    @Test
    void closingWithoutFinishingStopsTheThread() throws Exception {
        AtomicInteger sunk = new AtomicInteger();
        OrderedHandoff<Integer> h = new OrderedHandoff<>("closing", item -> sunk.incrementAndGet());
        for (int i = 0; i < 5000; i++) h.add(i);
        h.close();
        assertTrue(sunk.get() <= 5000);
        Thread.sleep(50);
        assertTrue(
                Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("closing") && t.isAlive()),
                "the handoff's thread is not left running");
    }
}
