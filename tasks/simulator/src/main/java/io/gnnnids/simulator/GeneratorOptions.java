package io.gnnnids.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * What {@code replay generate} produces: {@code flows} records over {@code days} days from {@code start}, in a
 * simulated network of {@code hosts} internal hosts, about {@code attackRatio} of them attacks. The same
 * options always give the same records; {@code seed} picks the network and its traffic.
 */
public record GeneratorOptions(long flows, int hosts, int days, Instant start, double attackRatio, long seed) {

    public static final int DEFAULT_HOSTS = 200;
    public static final int DEFAULT_DAYS = 1;
    public static final double DEFAULT_ATTACK_RATIO = 0.1;
    public static final long DEFAULT_SEED = 1;
    /** One device behind a router is a network too; below ten hosts the network is a home (no servers). */
    public static final int MIN_HOSTS = 1;

    public static final int MAX_HOSTS = 50_000;
    public static final int MAX_DAYS = 3_660;

    public GeneratorOptions {
        if (flows < 0) {
            throw new IllegalArgumentException("--flows must be 0 or more, got " + flows);
        }
        if (hosts < MIN_HOSTS || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException(
                    "--hosts must be between " + MIN_HOSTS + " and " + MAX_HOSTS + ", got " + hosts);
        }
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("--days must be between 1 and " + MAX_DAYS + ", got " + days);
        }
        if (start == null) {
            throw new IllegalArgumentException("--start is missing: give an ISO date like 2024-05-01");
        }
        if (!(attackRatio >= 0 && attackRatio <= 1)) {
            throw new IllegalArgumentException("--attack-ratio must be between 0 and 1, got " + attackRatio);
        }
    }

    /** The options with every unset (null) value replaced by its default; start defaults to {@link #defaultStart}. */
    public static GeneratorOptions withDefaults(
            long flows, Integer hosts, Integer days, Instant start, Double attackRatio, Long seed, Clock clock) {
        int d = days == null ? DEFAULT_DAYS : days;
        if (d < 1 || d > MAX_DAYS) {
            throw new IllegalArgumentException("--days must be between 1 and " + MAX_DAYS + ", got " + d);
        }
        return new GeneratorOptions(
                flows,
                hosts == null ? DEFAULT_HOSTS : hosts,
                d,
                start == null ? defaultStart(d, clock) : start,
                attackRatio == null ? DEFAULT_ATTACK_RATIO : attackRatio,
                seed == null ? DEFAULT_SEED : seed);
    }

    /** 00:00 UTC of (today - days): the generated traffic then ends at today's midnight, in the past. */
    public static Instant defaultStart(int days, Clock clock) {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC))
                .minusDays(days)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    /** Parses {@code --start}: an ISO date (2024-05-01, midnight UTC) or an instant (2024-05-01T06:00:00Z). */
    public static Instant parseStart(String text) {
        String s = text == null ? "" : text.trim();
        try {
            return s.contains("T")
                    ? Instant.parse(s)
                    : LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--start must be an ISO date like 2024-05-01 or an instant like 2024-05-01T06:00:00Z, got '" + s
                            + "'");
        }
    }

    /** The first instant after the generated traffic. */
    public Instant end() {
        return start.plus(days, ChronoUnit.DAYS);
    }

    /** How many of the flows are attacks: the ratio applied to the total, rounded. */
    public long attackFlows() {
        return Math.round(flows * attackRatio);
    }
}
