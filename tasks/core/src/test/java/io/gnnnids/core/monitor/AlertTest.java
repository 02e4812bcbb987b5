package io.gnnnids.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.kafka.PartitionLag;
import io.gnnnids.core.store.HotStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTest {

    static final Alert.Limits LIMITS = new Alert.Limits(1000, Duration.ofMinutes(30), Duration.ofMinutes(15));

    /**
     * A hot store that last stored a flow {@code lastIngested} seconds ago, whose oldest unscored flow waited as given.
     */
    static HotStoreActivity hot(Double oldestUnscored, Double lastIngested, long attacks) {
        List<HotStats.Source> sources =
                attacks == 0 ? List.of() : List.of(new HotStats.Source("10.0.0.9", attacks, 40, 2));
        return new HotStoreActivity(
                5000,
                oldestUnscored == null ? 0 : 10,
                oldestUnscored,
                lastIngested,
                100,
                5.0,
                900,
                attacks,
                attacks == 0 ? Map.of() : Map.of("PartOfAHorizontalPortScan", attacks),
                sources,
                List.of(),
                Map.of("3", 900L),
                List.of());
    }

    static List<String> names(List<Alert> alerts) {
        return alerts.stream().map(Alert::name).toList();
    }

    @Test
    void aPipelineThatKeepsUpRaisesNothing() {
        List<PartitionLag> lag = List.of(new PartitionLag(0, 900, 1400), new PartitionLag(1, 10, 510));
        assertEquals(
                List.of(),
                Alert.raise("t", "g", lag, null, hot(60.0, 30.0, 0), LIMITS),
                "a lag of exactly 1000 is allowed");
    }

    @Test
    void lagAboveTheLimitAndNothingStoredForTooLongAreCritical() {
        List<PartitionLag> lag = List.of(new PartitionLag(0, 0, 1001));
        List<Alert> alerts = Alert.raise("t", "g", lag, null, hot(null, 3 * 3600.0, 0), LIMITS);
        assertEquals(List.of("consumer_lag", "etl_stalled"), names(alerts));
        assertTrue(alerts.stream().allMatch(Alert::critical));
        assertTrue(
                alerts.get(1).message().contains("no flow was stored for 3h (more than 30m)"),
                alerts.get(1).message());
    }

    @Test
    void recordsWaitingBeforeAnyFlowWasStoredMeanTheEtlNeverRan() {
        List<Alert> alerts = Alert.raise("t", "g", List.of(new PartitionLag(0, 0, 5)), null, null, LIMITS);
        assertEquals(List.of("etl_stalled"), names(alerts));
        assertTrue(
                alerts.get(0).message().contains("no flow was ever stored"),
                alerts.get(0).message());
    }

    @Test
    void flowsWaitingTooLongForAPredictionAreCritical() {
        List<Alert> alerts = Alert.raise("t", "g", List.of(), null, hot(45 * 60.0, 10.0, 0), LIMITS);
        assertEquals(List.of("inference_behind"), names(alerts));
        assertTrue(
                alerts.get(0).message().contains("the oldest for 45m"),
                alerts.get(0).message());
    }

    @Test
    void kafkaUnreadableIsCriticalAndDetectionsAreAWarning() {
        List<Alert> alerts = Alert.raise("t", "g", null, "cannot reach Kafka", hot(null, 10.0, 12), LIMITS);
        assertEquals(List.of("kafka_unreadable", "attacks_detected"), names(alerts));
        assertTrue(alerts.get(0).critical() && !alerts.get(1).critical());
        assertTrue(
                alerts.get(1)
                        .message()
                        .contains("12 of 900 flows scored in the last 15m are attacks; top sources: "
                                + "10.0.0.9 (12 flows to 40 hosts)"),
                alerts.get(1).message());
    }
}
