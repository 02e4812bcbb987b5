package io.gnnnids.core.monitor;

import io.gnnnids.core.kafka.PartitionLag;
import io.gnnnids.core.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Something the monitor thinks a person should look at. {@code critical}: the pipeline is not keeping up or cannot
 * be read, so detections are late or missing; {@code warning}: the model flagged attacks.
 */
public record Alert(String name, String severity, String message) {

    public static final String CRITICAL = "critical";
    public static final String WARNING = "warning";

    public boolean critical() {
        return CRITICAL.equals(severity);
    }

    /** The limits alerts are raised against. */
    public record Limits(long maxLag, Duration maxDelay, Duration window) {}

    /**
     * The alerts a report raises. {@code lag} is null when Kafka could not be read ({@code kafkaError} says why);
     * {@code hot} is null while the hot store does not exist yet.
     */
    public static List<Alert> raise(
            String topic,
            String group,
            List<PartitionLag> lag,
            String kafkaError,
            HotStoreActivity hot,
            Limits limits) {
        List<Alert> alerts = new ArrayList<>();
        String delay = Durations.text(limits.maxDelay());
        double maxDelaySeconds = limits.maxDelay().toMillis() / 1000.0;
        if (lag == null) {
            alerts.add(new Alert(
                    "kafka_unreadable",
                    CRITICAL,
                    "cannot read where group '" + group + "' stands on topic '" + topic + "': " + kafkaError));
        } else {
            long total = PartitionLag.total(lag);
            if (total > limits.maxLag()) {
                alerts.add(new Alert(
                        "consumer_lag",
                        CRITICAL,
                        "the ETL is " + total + " records behind on topic '" + topic + "' (more than " + limits.maxLag()
                                + "): check that the nids_etl DAG runs and succeeds"));
            }
            Double lastIngested = hot == null ? null : hot.lastIngestedAgeSeconds();
            if (total > 0 && (lastIngested == null || lastIngested > maxDelaySeconds)) {
                alerts.add(new Alert(
                        "etl_stalled",
                        CRITICAL,
                        total + " records wait on topic '" + topic + "' but "
                                + (lastIngested == null
                                        ? "no flow was ever stored"
                                        : "no flow was stored for " + seconds(lastIngested))
                                + " (more than " + delay + "): check the nids_etl DAG's last runs"));
            }
        }
        if (hot != null && hot.oldestUnscoredAgeSeconds() != null && hot.oldestUnscoredAgeSeconds() > maxDelaySeconds) {
            alerts.add(new Alert(
                    "inference_behind",
                    CRITICAL,
                    hot.unscored() + " flows wait for a prediction, the oldest for "
                            + seconds(hot.oldestUnscoredAgeSeconds()) + " (more than " + delay + "): check that the "
                            + "nids_inference DAG runs and that the model has a version with the alias 'champion'"));
        }
        if (hot != null && hot.attacksInWindow() > 0) {
            String sources = hot.topSources().stream()
                    .limit(3)
                    .map(s -> s.host() + " (" + s.attacks() + " flows to " + s.hosts() + " hosts)")
                    .collect(Collectors.joining(", "));
            alerts.add(new Alert(
                    "attacks_detected",
                    WARNING,
                    hot.attacksInWindow() + " of " + hot.scoredInWindow()
                            + " flows scored in the last " + Durations.text(limits.window())
                            + " are attacks; top sources: "
                            + sources));
        }
        return alerts;
    }

    /** Incidents that could not be published: the next run sends them, since the topic records what was sent. */
    public static Alert incidentsUnpublished(String topic, int due, String error) {
        return new Alert(
                "incidents_unpublished",
                CRITICAL,
                "cannot publish " + (due < 0 ? "the" : due) + " new or " + "escalated incidents to topic '" + topic
                        + "' (" + error + "); the next run sends them: check Kafka");
    }

    /** Messages the webhook did not take: they wait in the queue for the next run. */
    public static Alert webhookFailed(int pending, String error) {
        return new Alert(
                "webhook_failed",
                CRITICAL,
                pending + " incident messages wait for the webhook (" + error
                        + "); the next run sends them: check --webhook-url and the service behind it");
    }

    /** Seconds as a duration people read: 45s, 12m, 3h. */
    private static String seconds(double s) {
        long whole = (long) s;
        if (whole < 120) return whole + "s";
        if (whole < 7200) return whole / 60 + "m";
        return whole / 3600 + "h";
    }
}
