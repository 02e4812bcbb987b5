package io.gnnnids.monitor;

import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.DurationConverter;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.GroupOption;
import io.gnnnids.core.cli.HotStoreOptions;
import io.gnnnids.core.cli.KafkaOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.TopicOption;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.monitor.Alert;
import io.gnnnids.core.monitor.AlertLog;
import io.gnnnids.core.monitor.HotStoreActivity;
import io.gnnnids.core.monitor.MonitorRun;
import io.gnnnids.core.monitor.ReportDir;
import io.gnnnids.core.monitor.Webhook;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "monitor",
        description = {
            "Reports on the pipeline and what it detects: the ETL's consumer lag per partition, the flows "
                    + "waiting for a prediction and for how long, when flows last arrived, and the attacks the model "
                    + "flagged "
                    + "in the last --window (by family, top sources and targets, model versions). Writes the report to "
                    + "<report-dir>/monitor-<time>.json and latest.json, the same as a self-contained page "
                    + "(monitor-<time>.html, "
                    + "latest.html: incidents, detections over time, scores, families, sources, recent runs), and "
                    + "appends to <report-dir>/alerts.jsonl a line when an "
                    + "alert is raised and one when it clears (rotated past 10 MB, 5 old files kept).",
            "New incidents, and incidents whose flows, peers or ports have doubled since, are published to "
                    + "--alerts-topic as JSON keyed by incident id, with their top flows: at least once, and the "
                    + "same state never twice (the topic, read back, records what was sent).",
            "Alerts: critical when the lag passes --max-lag, when records wait in Kafka but nothing was stored for "
                    + "--max-delay, when a flow has waited longer than --max-delay for a prediction, or when Kafka "
                    + "cannot be read, or incidents cannot be published; a warning when attacks were detected."
        })
public class MonitorCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(MonitorCommand.class);

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TopicOption topic;

    @Mixin
    GroupOption group;

    @Mixin
    HotStoreOptions hot;

    @Option(
            names = "--report-dir",
            defaultValue = "${env:NIDS_REPORT_DIR}",
            description = "Where reports and alerts.jsonl go (env NIDS_REPORT_DIR; default <work-dir>/reports).")
    Path reportDir;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "15m",
            converter = DurationConverter.class,
            description = "How far back the detections reach: the monitoring schedule (default ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--max-lag",
            defaultValue = "100000",
            description = "Records the ETL may be behind before a critical alert (default ${DEFAULT-VALUE}).")
    long maxLag;

    @Option(
            names = "--max-delay",
            paramLabel = "DURATION",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description = "How long records may wait to be stored, and flows to be scored, before a critical alert "
                    + "(default ${DEFAULT-VALUE}).")
    Duration maxDelay;

    @Option(
            names = "--fail-on-alert",
            description = "Exit 1 after writing the report when an alert is critical, so "
                    + "that Airflow marks the run failed.")
    boolean failOnAlert;

    @Option(
            names = "--report-retention",
            paramLabel = "DURATION",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description =
                    "Reports and pages older than this are deleted (default ${DEFAULT-VALUE}; alerts.jsonl is kept).")
    Duration reportRetention;

    @Option(
            names = "--alerts-topic",
            defaultValue = "${env:NIDS_ALERTS_TOPIC:-nids-alerts}",
            description = "Kafka topic that new and escalated incidents go to (env NIDS_ALERTS_TOPIC; default "
                    + "${DEFAULT-VALUE}; empty publishes none).")
    String alertsTopic;

    @Option(
            names = "--webhook-url",
            defaultValue = "${env:NIDS_WEBHOOK_URL}",
            paramLabel = "URL",
            description = "Also post new and escalated incidents to this webhook (env NIDS_WEBHOOK_URL), as "
                    + "Slack-compatible JSON: up to 20 a request, 5 requests a run, retried with backoff; what it does "
                    + "not take waits in <report-dir>/webhook-pending.json for the next run.")
    URI webhookUrl;

    @Option(
            names = "--run-id",
            description = "Also write the page as <report-dir>/run-<RUN_ID>.html (characters other "
                    + "than letters, digits, '.', '_' and '-' become '_'), where the Airflow plugin finds a "
                    + "DAG run's page.")
    String runId;

    @Mixin
    WorkDirOption workDir;

    public static void main(String[] args) {
        Cli.main(MonitorCommand::new, args);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.FAILURE, "a failure, or with --fail-on-alert a critical alert");
    }

    @Override
    protected Path run() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String topic = this.topic.topic();
        String group = this.group.group();
        Path duckdb = hot.path();
        if (maxLag < 0) throw new UsageError("--max-lag must not be negative, got " + maxLag);
        if (window.isZero() || window.isNegative()) throw new UsageError("--window must be positive");
        boolean publishing = alertsTopic != null && !alertsTopic.isBlank();
        if (webhookUrl != null && !publishing) {
            throw new UsageError("--webhook-url needs --alerts-topic: the topic records which incidents were sent");
        }
        Path reports = reportDir != null ? reportDir : workDir.path().resolve("reports");
        StepRun run = new StepRun("monitor");
        Instant now = Instant.now();
        ReportDir reportFiles = new ReportDir(reports);
        MonitorRun.Outcome outcome = MonitorRun.run(
                new MonitorRun.Settings(
                        bootstrap,
                        topic,
                        group,
                        duckdb,
                        hot::openReadOnly,
                        new Alert.Limits(maxLag, maxDelay, window),
                        publishing ? alertsTopic : null,
                        webhookUrl,
                        reportFiles,
                        runId,
                        reportRetention,
                        workDir.path()),
                now);
        MonitorRun.Report report = outcome.report();
        List<Alert> alerts = report.alerts();
        HotStoreActivity activity = report.hotStore();
        Long totalLag = report.lag();
        int sent = report.incidentsPublished();
        Webhook.Delivery delivery = outcome.delivery();
        Path file = outcome.reportFile();
        Path html = outcome.page();

        for (Alert a : alerts) log.warn("{} alert {}: {}", a.severity(), a.name(), a.message());
        for (AlertLog.Line l : outcome.changes()) {
            if (l.state().equals(AlertLog.CLEARED)) log.info("alert {} cleared", l.name());
        }
        log.info(
                "lag {}, {} flows in the hot store ({} waiting for a prediction), {} attacks in the last {}; report {}",
                totalLag == null ? "unknown" : totalLag,
                activity == null ? 0 : activity.flows(),
                activity == null ? 0 : activity.unscored(),
                activity == null ? 0 : activity.attacksInWindow(),
                report.window(),
                file);

        List<Alert> critical = outcome.critical();
        if (failOnAlert && !critical.isEmpty()) {
            throw new StepFailure(critical.size() + " critical alert(s): "
                    + critical.stream().map(a -> a.name() + ": " + a.message()).collect(Collectors.joining("; "))
                    + " (report " + file + ")");
        }
        if (totalLag != null) run.count("lag", totalLag);
        if (activity != null) {
            run.count("flows", activity.flows())
                    .count("unscored", activity.unscored())
                    .count("scored_in_window", activity.scoredInWindow())
                    .count("attacks_in_window", activity.attacksInWindow());
        }
        if (sent > 0) log.info("published {} new or escalated incidents to topic '{}'", sent, alertsTopic);
        if (delivery != null) {
            run.count("webhook_sent", delivery.sent()).count("webhook_pending", delivery.pending());
        }
        run.count("incidents_published", sent)
                .count("alerts", alerts.size())
                .count("critical_alerts", critical.size())
                .reasons(alerts.stream().collect(Collectors.toMap(Alert::name, a -> 1L, Long::sum, LinkedHashMap::new)))
                .output("report", file)
                .output("latest", reportFiles.latestJson())
                .output("html", html)
                .output("latest_html", reportFiles.latestHtml());
        return run.write(ManifestPaths.ofRun(workDir.path(), "monitor", String.valueOf(now.toEpochMilli())));
    }
}
