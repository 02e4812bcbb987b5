package io.gnnnids.core.util;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 24h}, {@code 7d}, or ISO-8601
 * {@code PT1M}; a bare number is seconds. Options are parsed this way and messages print durations the same way.
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private Durations() {}

    /**
     * A duration as {@link #parse} reads it, in its largest whole unit: {@code 90d}, {@code 24h}, {@code 60s}, {@code
     * 300ms}.
     */
    public static String text(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3600 == 0) return s / 3600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }

    /** The duration {@code value} writes; an IllegalArgumentException saying what is accepted when it is none. */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase();
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(value.trim().toUpperCase());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (examples: 500ms, 60s, 5m, 24h, 7d)");
        }
    }
}
