package io.gnnnids.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    @Test
    void daysIncludeBothEnds() {
        TimeRange r = TimeRange.parse("2026-11-01..2026-11-07");
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), r.from());
        assertEquals(Instant.parse("2026-11-08T00:00:00Z"), r.to());
        assertEquals(LocalDate.parse("2026-11-07"), r.lastDay());
        assertTrue(r.contains(Instant.parse("2026-11-07T23:59:59Z").getEpochSecond()));
        assertFalse(r.contains(Instant.parse("2026-11-08T00:00:00Z").getEpochSecond()));
    }

    @Test
    void instantsExcludeTheEnd() {
        TimeRange r = TimeRange.parse("2026-11-01T08:00:00Z..2026-11-01T20:00:00Z");
        assertTrue(r.contains(Instant.parse("2026-11-01T08:00:00Z").getEpochSecond()));
        assertFalse(r.contains(Instant.parse("2026-11-01T20:00:00Z").getEpochSecond()));
        assertEquals(LocalDate.parse("2026-11-01"), r.firstDay());
        assertEquals(LocalDate.parse("2026-11-01"), r.lastDay());
    }

    @Test
    void refusesWhatIsNotAPeriod() {
        assertThrows(IllegalArgumentException.class, () -> TimeRange.parse("2026-11-01"));
        assertThrows(IllegalArgumentException.class, () -> TimeRange.parse("2026-11-07..2026-11-01"));
        assertThrows(IllegalArgumentException.class, () -> TimeRange.parse("yesterday..today"));
    }
}
