package io.gnnnids.core.util;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A period as {@code FROM..TO}: UTC days, both included ({@code 2026-11-01..2026-11-07}), or instants, the end
 * excluded ({@code 2026-11-01T08:00:00Z..2026-11-01T20:00:00Z}).
 */
public record TimeRange(Instant from, Instant to) {

    public TimeRange {
        if (!to.isAfter(from))
            throw new IllegalArgumentException("the period ends before it starts: " + from + ".." + to);
    }

    public boolean contains(double epochSeconds) {
        return epochSeconds >= from.getEpochSecond() + from.getNano() / 1e9
                && epochSeconds < to.getEpochSecond() + to.getNano() / 1e9;
    }

    /** The UTC day of the first instant. */
    public LocalDate firstDay() {
        return LocalDate.ofInstant(from, ZoneOffset.UTC);
    }

    /** The UTC day of the last instant in the period. */
    public LocalDate lastDay() {
        return LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return from + ".." + to;
    }

    /** The UTC days {@code first}..{@code last}, both included. */
    public static TimeRange ofDays(LocalDate first, LocalDate last) {
        return new TimeRange(
                first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    public static TimeRange parse(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) throw new IllegalArgumentException("expected FROM..TO, got '" + text + "'");
        String a = text.substring(0, dots).trim();
        String b = text.substring(dots + 2).trim();
        try {
            if (a.length() == 10 && b.length() == 10) return ofDays(LocalDate.parse(a), LocalDate.parse(b));
            return new TimeRange(Instant.parse(a), Instant.parse(b));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected FROM..TO as YYYY-MM-DD..YYYY-MM-DD or ISO instants "
                    + "(2026-11-01T08:00:00Z), got '" + text + "'");
        }
    }
}
