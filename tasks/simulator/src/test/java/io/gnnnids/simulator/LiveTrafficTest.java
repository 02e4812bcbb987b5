package io.gnnnids.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveTrafficTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:30:00Z");

    /** A clock one millisecond further on every time it is read. */
    static final class TickingClock extends Clock {
        private Instant now;

        TickingClock(Instant start) {
            this.now = start;
        }

        @Override
        public Instant instant() {
            Instant t = now;
            now = now.plusMillis(1);
            return t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void streamsDayAfterDayOfOneNetworkEachFlowStampedWhenTaken() {
        NetworkModel net = NetworkModel.build(60, 3);
        Set<String> internal = new HashSet<>();
        for (Host h : net.internalHosts()) internal.add(h.ip());
        LiveTraffic live = new LiveTraffic(net, 60, 500, 0.1, 42, new TickingClock(NOW));

        Set<String> uids = new HashSet<>();
        Set<String> seen = new HashSet<>();
        long attacks = 0;
        double previous = 0;
        int n = 10 * 500 + 1;
        for (int i = 0; i < n; i++) {
            Flow f = live.next();
            assertTrue(uids.add(f.uid()), "uid repeated: " + f.uid());
            // The clock was read once when the live stream started, then once per flow.
            assertEquals(NOW.toEpochMilli() / 1000.0 + (i + 1) / 1000.0, f.ts(), 1e-6, "flow " + i);
            assertTrue(f.ts() >= previous);
            previous = f.ts();
            // Every day is traffic of the same network: its hosts are the local ones.
            assertEquals(net.isLocal(f.origH()), Boolean.TRUE.equals(f.localOrig()), f.toString());
            if (internal.contains(f.origH())) seen.add(f.origH());
            if (Flow.MALICIOUS.equals(f.label())) attacks++;
        }
        assertTrue(live.hasNext());
        assertEquals(11, live.days(), "500 flows a day: the 5001st flow is the first of day 11");
        assertTrue(seen.size() > internal.size() / 2, seen.size() + " of " + internal.size() + " hosts active");
        assertTrue(attacks > 0.05 * n && attacks < 0.2 * n, attacks + " attacks of " + n);
    }

    @Test
    void timestampsNeverGoBackwardsWhenTheClockDoes() {
        TickingClock clock = new TickingClock(NOW);
        LiveTraffic live = new LiveTraffic(NetworkModel.build(30, 1), 30, 1_000, 0.1, 7, clock);
        double first = live.next().ts();
        clock.now = NOW.minusSeconds(3_600); // the system clock set back an hour
        assertEquals(first, live.next().ts());
        clock.now = NOW.plusSeconds(1);
        assertEquals(NOW.getEpochSecond() + 1.0, live.next().ts());
    }

    @Test
    void twoRunsOfTheSameNetworkSendDifferentTraffic() {
        Clock clock = Clock.systemUTC();
        LiveTraffic one = LiveTraffic.start(40, 5, 0.1, 10, clock);
        LiveTraffic two = LiveTraffic.start(40, 5, 0.1, 10, clock);
        assertEquals(ips(one.network()), ips(two.network()), "the seed picks the network");
        Set<String> uids = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            assertTrue(uids.add(one.next().uid()));
            assertTrue(uids.add(two.next().uid()));
        }
        assertEquals(864_000, one.flowsPerDay(), "10 flows/s make a day of 864,000 flows");
        double now = System.currentTimeMillis() / 1000.0;
        assertEquals(now, one.next().ts(), 5.0);
    }

    @Test
    void badOptionsNameTheOption() {
        Clock clock = Clock.systemUTC();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LiveTraffic.start(40, 1, 0.1, 0, clock))
                .getMessage()
                .contains("--rate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LiveTraffic.start(0, 1, 0.1, 10, clock))
                .getMessage()
                .contains("--hosts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LiveTraffic.start(40, 1, 2, 10, clock))
                .getMessage()
                .contains("--attack-ratio"));
    }

    private static Set<String> ips(NetworkModel net) {
        Set<String> out = new HashSet<>();
        for (Host h : net.internalHosts()) out.add(h.ip());
        return out;
    }
}
