package io.gnnnids.core.monitor;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.kafka.BatchConsumer;
import io.gnnnids.core.kafka.PartitionLag;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.util.Durations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One monitoring run: where the ETL stands in Kafka, what the hot store shows in the window, the alerts that
 * raises, new and escalated incidents published (alerts topic, webhook), and the report and page written.
 * Kafka that cannot be read is an alert, not a failure: the rest of the report still helps.
 */
public final class MonitorRun {
    /** alerts.jsonl is rotated past 10 MB, keeping 5 old files. */
    private static final long ALERT_LOG_BYTES = 10L << 20;

    private static final int ALERT_LOG_KEEP = 5;
    /** How many monitoring runs the page's trend shows. */
    private static final int RECENT_RUNS = 24;

    /**
     * What to look at and where to report.
     *
     * @param hotStore        the DuckDB file; absent until the ETL stored a batch
     * @param openReadOnly    opens it read-only, waiting for its lock
     * @param alertsTopic     where incidents are published; null publishes none
     * @param webhookUrl      also posts incidents there (needs the alerts topic, which records what was sent)
     * @param runId           the Airflow run, whose page is also written as run-<id>.html; may be null
     * @param work            the steps' work directory, where the champion's summary is read
     */
    public record Settings(
            String bootstrap,
            String topic,
            String group,
            Path hotStore,
            Supplier<HotStore> openReadOnly,
            Alert.Limits limits,
            String alertsTopic,
            URI webhookUrl,
            ReportDir reports,
            String runId,
            Duration reportRetention,
            Path work) {}

    /** The report: where the ETL stands in Kafka, what the hot store shows, and the alerts raised. */
    public record Report(
            String generatedAt,
            String topic,
            String group,
            Long lag,
            List<PartitionLag> partitions,
            String kafkaError,
            String window,
            HotStoreActivity hotStore,
            String alertsTopic,
            int incidentsPublished,
            List<Alert> alerts) {}

    /**
     * What the run found and wrote.
     *
     * @param changes  alerts raised or cleared since the last run
     * @param delivery what the webhook took, or null without one
     */
    public record Outcome(
            Report report, Path reportFile, Path page, List<AlertLog.Line> changes, Webhook.Delivery delivery) {
        public List<Alert> critical() {
            return report.alerts().stream().filter(Alert::critical).toList();
        }
    }

    private MonitorRun() {}

    public static Outcome run(Settings s, Instant now) throws IOException {
        Duration window = s.limits().window();
        boolean publishing = s.alertsTopic() != null;
        List<PartitionLag> lag = null;
        String kafkaError = null;
        try {
            lag = BatchConsumer.lag(s.bootstrap(), s.topic(), s.group());
        } catch (StepFailure e) {
            kafkaError = e.getMessage();
        }
        Webhook webhook = s.webhookUrl() == null
                ? null
                : new Webhook(
                        s.reports().dir().resolve("webhook-pending.json"),
                        s.webhookUrl(),
                        20,
                        5,
                        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)));
        // Unreadable Kafka is an alert already: no incident is published then.
        IncidentPublisher publisher = publishing && kafkaError == null
                ? new IncidentPublisher(s.bootstrap(), s.alertsTopic(), webhook)
                : null;
        if (publisher != null) publisher.readSent();
        HotStoreActivity activity = null;
        DetectionsView view = null;
        if (Files.exists(s.hotStore())) {
            try (HotStore store = s.openReadOnly().get()) {
                activity = HotStoreActivity.read(store, window);
                view = DetectionsView.read(store, window, activity.incidents());
                if (publisher != null) publisher.collect(store, now);
            }
        }
        IncidentPublisher.Outcome published = publisher == null ? null : publisher.send();
        List<Alert> alerts = new ArrayList<>(Alert.raise(s.topic(), s.group(), lag, kafkaError, activity, s.limits()));
        if (published != null && published.error() != null) {
            alerts.add(Alert.incidentsUnpublished(s.alertsTopic(), publisher.due(), published.error()));
        }
        // Without Kafka nothing new is sent, but what waits for the webhook still goes.
        Webhook.Delivery delivery =
                published != null ? published.webhook() : webhook == null ? null : webhook.deliver();
        if (delivery != null && delivery.error() != null) {
            alerts.add(Alert.webhookFailed(delivery.pending(), delivery.error()));
        }
        Long totalLag = lag == null ? null : PartitionLag.total(lag);
        Report report = new Report(
                now.toString(),
                s.topic(),
                s.group(),
                totalLag,
                lag,
                kafkaError,
                Durations.text(window),
                activity,
                s.alertsTopic(),
                published == null ? 0 : published.published(),
                alerts);

        Path file = s.reports().writeReport(report, now);
        // The page's trend includes this run: its report is written above.
        String html = DetectionsHtml.render(new DetectionsHtml.Page(
                report.generatedAt(),
                s.topic(),
                totalLag,
                report.window(),
                activity,
                view,
                alerts,
                s.reports().recentRuns(RECENT_RUNS),
                ChampionSummary.read(s.work())));
        Path page = s.reports().writePage(html, now, s.runId());
        List<AlertLog.Line> changes =
                new AlertLog(s.reports().dir(), ALERT_LOG_BYTES, ALERT_LOG_KEEP).record(report.generatedAt(), alerts);
        s.reports().prune(now.minus(s.reportRetention()));
        return new Outcome(report, file, page, changes, delivery);
    }
}
