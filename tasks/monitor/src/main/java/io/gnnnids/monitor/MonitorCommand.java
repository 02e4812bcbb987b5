package io.gnnnids.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.DurationConverter;
import io.gnnnids.core.cli.EtlGroupOptions;
import io.gnnnids.core.cli.HotStoreOptions;
import io.gnnnids.core.cli.KafkaOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.kafka.BatchConsumer;
import io.gnnnids.core.kafka.PartitionLag;
import io.gnnnids.core.mlflow.ModelCache;
import io.gnnnids.core.model.ModelBundle;
import io.gnnnids.core.monitor.Alert;
import io.gnnnids.core.monitor.AlertLog;
import io.gnnnids.core.monitor.DetectionsHtml;
import io.gnnnids.core.monitor.DetectionsView;
import io.gnnnids.core.monitor.HotStoreActivity;
import io.gnnnids.core.monitor.IncidentPublisher;
import io.gnnnids.core.monitor.Webhook;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.util.JsonFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
                    + "waiting for a prediction and for how long, when flows last arrived, and the attacks the model flagged "
                    + "in the last --window (by family, top sources and targets, model versions). Writes the report to "
                    + "<report-dir>/monitor-<time>.json and latest.json, the same as a self-contained page (monitor-<time>.html, "
                    + "latest.html: incidents, detections over time, scores, families, sources, recent runs), and appends to <report-dir>/alerts.jsonl a line when an "
                    + "alert is raised and one when it clears (rotated past 10 MB, 5 old files kept).",
            "New incidents, and incidents whose flows, peers or ports have doubled since, are published to "
                    + "--alerts-topic as JSON keyed by incident id, with their top flows: at least once, and the "
                    + "same state never twice (the topic, read back, records what was sent).",
            "Alerts: critical when the lag passes --max-lag, when records wait in Kafka but nothing was stored for "
                    + "--max-delay, when a flow has waited longer than --max-delay for a prediction, or when Kafka "
                    + "cannot be read, or incidents cannot be published; a warning when attacks were detected.",
            "Exit codes: 0 reported, 1 failure or (with --fail-on-alert) a critical alert, 2 bad usage."
        })
public class MonitorCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(MonitorCommand.class);
    private static final DateTimeFormatter REPORT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** alerts.jsonl is rotated past 10 MB, keeping 5 old files. */
    private static final long ALERT_LOG_BYTES = 10L << 20;

    private static final int ALERT_LOG_KEEP = 5;
    /** How many monitoring runs the page's trend shows. */
    private static final int RECENT_RUNS = 24;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;

    @Mixin
    EtlGroupOptions etl;

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
            description =
                    "Also write the page as <report-dir>/run-<RUN_ID>.html (characters other "
                            + "than letters, digits, '.', '_' and '-' become '_'), where the Airflow plugin finds a DAG run's page.")
    String runId;

    @Mixin
    WorkDirOption workDir;

    public static void main(String[] args) {
        Cli.main(new MonitorCommand(), args);
    }

    /** The report: where the ETL stands in Kafka, what the hot store shows, and the alerts raised. */
    record Report(
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

    @Override
    protected Path run() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String topic = etl.topic();
        String group = etl.group();
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

        List<PartitionLag> lag = null;
        String kafkaError = null;
        try {
            lag = BatchConsumer.lag(bootstrap, topic, group);
        } catch (StepFailure e) {
            kafkaError = e.getMessage(); // reported as an alert: the rest of the report still helps
        }
        // Unreadable Kafka is an alert already: no incident is published then.
        Webhook webhook = webhookUrl == null
                ? null
                : new Webhook(
                        reports.resolve("webhook-pending.json"),
                        webhookUrl,
                        20,
                        5,
                        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)));
        IncidentPublisher publisher =
                publishing && kafkaError == null ? new IncidentPublisher(bootstrap, alertsTopic, webhook) : null;
        if (publisher != null) publisher.readSent();
        HotStoreActivity activity = null;
        DetectionsView view = null;
        if (Files.exists(duckdb)) {
            try (HotStore store = hot.openReadOnly()) {
                activity = HotStoreActivity.read(store, window);
                view = DetectionsView.read(store, window, activity.incidents());
                if (publisher != null) publisher.collect(store, now);
            }
        }
        IncidentPublisher.Outcome published = publisher == null ? null : publisher.send();
        List<Alert> alerts = new ArrayList<>(
                Alert.raise(topic, group, lag, kafkaError, activity, new Alert.Limits(maxLag, maxDelay, window)));
        if (published != null && published.error() != null) {
            alerts.add(Alert.incidentsUnpublished(alertsTopic, publisher.due(), published.error()));
        }
        // Without Kafka nothing new is sent, but what waits for the webhook still goes.
        Webhook.Delivery delivery =
                published != null ? published.webhook() : webhook == null ? null : webhook.deliver();
        if (delivery != null && delivery.error() != null)
            alerts.add(Alert.webhookFailed(delivery.pending(), delivery.error()));
        int sent = published == null ? 0 : published.published();
        Long totalLag = lag == null ? null : PartitionLag.total(lag);
        Report report = new Report(
                now.toString(),
                topic,
                group,
                totalLag,
                lag,
                kafkaError,
                DurationConverter.text(window),
                activity,
                publishing ? alertsTopic : null,
                sent,
                alerts);

        Path file = reports.resolve("monitor-" + REPORT_TIME.format(now) + ".json");
        // Atomic, so a reader of latest.json never sees half a report.
        JsonFiles.writeAtomically(report, file);
        JsonFiles.writeAtomically(report, reports.resolve("latest.json"));
        // The page's trend includes this run: its report is written above.
        String page = DetectionsHtml.render(new DetectionsHtml.Page(
                report.generatedAt(),
                topic,
                totalLag,
                report.window(),
                activity,
                view,
                alerts,
                recentRuns(reports, RECENT_RUNS),
                champion(workDir.path())));
        Path html = reports.resolve("monitor-" + REPORT_TIME.format(now) + ".html");
        JsonFiles.writeTextAtomically(page, html);
        JsonFiles.writeTextAtomically(page, reports.resolve("latest.html"));
        if (runId != null && !runId.isBlank()) {
            JsonFiles.writeTextAtomically(
                    page, reports.resolve("run-" + runId.replaceAll("[^A-Za-z0-9._-]", "_") + ".html"));
        }
        AlertLog alertLog = new AlertLog(reports, ALERT_LOG_BYTES, ALERT_LOG_KEEP);
        List<AlertLog.Line> changes = alertLog.record(report.generatedAt(), alerts);
        pruneReports(reports, now.minus(reportRetention));

        for (Alert a : alerts) log.warn("{} alert {}: {}", a.severity(), a.name(), a.message());
        for (AlertLog.Line l : changes) if (l.state().equals(AlertLog.CLEARED)) log.info("alert {} cleared", l.name());
        log.info(
                "lag {}, {} flows in the hot store ({} waiting for a prediction), {} attacks in the last {}; report {}",
                totalLag == null ? "unknown" : totalLag,
                activity == null ? 0 : activity.flows(),
                activity == null ? 0 : activity.unscored(),
                activity == null ? 0 : activity.attacksInWindow(),
                DurationConverter.text(window),
                file);

        List<Alert> critical = alerts.stream().filter(Alert::critical).toList();
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
                .output("latest", reports.resolve("latest.json"))
                .output("html", html)
                .output("latest_html", reports.resolve("latest.html"));
        return run.write(workDir.path().resolve("monitor").resolve("monitor-" + now.toEpochMilli() + ".json"));
    }

    /** The last {@code n} runs' reports (monitor-<time>.json, whose names sort by time), oldest first. */
    private static List<DetectionsHtml.Run> recentRuns(Path dir, int n) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "monitor-*.json")) {
            all.forEach(files::add);
        }
        files.sort(null);
        List<DetectionsHtml.Run> runs = new ArrayList<>();
        for (Path f : files.subList(Math.max(0, files.size() - n), files.size())) {
            JsonNode r = JSON.readTree(f.toFile());
            JsonNode hot = r.path("hotStore");
            runs.add(new DetectionsHtml.Run(
                    r.path("generatedAt").asText(),
                    number(r.get("lag")),
                    number(hot.get("unscored")),
                    decimal(hot.get("oldestUnscoredAgeSeconds")),
                    decimal(hot.get("lastIngestedAgeSeconds")),
                    r.path("alerts").size()));
        }
        return runs;
    }

    /** The model of infer's last run (its newest manifest) and the newest evaluation, from the work directory. */
    private static DetectionsHtml.Champion champion(Path work) throws IOException {
        Path scored = newest(work.resolve("infer"), "infer-*.json");
        if (scored == null) return null;
        JsonNode infer = JSON.readTree(scored.toFile());
        String evaluatedAt = null;
        String evaluatedVersion = null;
        List<DetectionsHtml.Evaluated> rows = new ArrayList<>();
        Path evaluation = null;
        if (Files.isDirectory(work.resolve("evaluate"))) {
            try (var runs = Files.list(work.resolve("evaluate"))) {
                evaluation = runs.map(d -> d.resolve("evaluation.json"))
                        .filter(Files::isRegularFile)
                        .max(java.util.Comparator.comparing(Path::toString))
                        .orElse(null); // names sort by time
            }
        }
        if (evaluation != null) {
            JsonNode e = JSON.readTree(evaluation.toFile());
            evaluatedAt = e.path("createdAt").asText();
            evaluatedVersion = e.path("model").path("name").asText() + "/"
                    + e.path("model").path("version").asText();
            rows.add(evaluated("all inputs", e.path("overall")));
            for (JsonNode in : e.path("inputs"))
                rows.add(evaluated(in.path("name").asText(), in.path("figures")));
        }
        String model = infer.path("outputs").path("model").asText();
        return new DetectionsHtml.Champion(
                model,
                infer.path("info").path("threshold").asText(),
                infer.path("info").path("model_source").asText(),
                infer.path("startedAt").asText(),
                testFigures(work, model),
                evaluatedAt,
                evaluatedVersion,
                rows);
    }

    /** The test figures train wrote into the version's model.json, as infer cached it ("name/version"). */
    private static Map<String, Double> testFigures(Path work, String model) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        int slash = model.lastIndexOf('/');
        if (slash < 0) return out;
        Path card = new ModelCache(work.resolve("models"))
                .dirFor(model.substring(0, slash), model.substring(slash + 1))
                .resolve(ModelBundle.CARD_FILE);
        if (!Files.isRegularFile(card)) return out;
        JsonNode data = JSON.readTree(card.toFile()).path("data");
        JsonNode t = data.path("test_metrics");
        for (String[] f : new String[][] {
            {"F1", "f1"},
            {"precision", "precision"},
            {"detection rate", "recall"},
            {"false-positive rate", "falsePositiveRate"},
            {"ROC-AUC", "rocAuc"},
            {"PR-AUC", "prAuc"}
        }) {
            if (t.path(f[1]).isNumber()) out.put(f[0], t.path(f[1]).asDouble());
        }
        if (data.path("test_family_accuracy").isNumber()) {
            out.put("family named right", data.path("test_family_accuracy").asDouble());
        }
        return out;
    }

    private static DetectionsHtml.Evaluated evaluated(String input, JsonNode f) {
        return new DetectionsHtml.Evaluated(
                input,
                f.path("flows").asLong(),
                decimal(f.get("detectionRate")),
                decimal(f.get("falsePositiveRate")),
                decimal(f.get("f1")),
                decimal(f.get("rocAuc")));
    }

    /** The file of {@code dir} matching {@code glob} whose name sorts last, or null. */
    private static Path newest(Path dir, String glob) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        Path last = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files)
                if (last == null
                        || f.getFileName()
                                        .toString()
                                        .compareTo(last.getFileName().toString())
                                > 0) last = f;
        }
        return last;
    }

    private static Long number(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    private static Double decimal(JsonNode n) {
        return n == null || n.isNull() ? null : n.asDouble();
    }

    /** Deletes the reports and pages (monitor-*.json, monitor-*.html, run-*.html) written before {@code before}. */
    private static void pruneReports(Path dir, Instant before) throws IOException {
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(dir, "{monitor-*.json,monitor-*.html,run-*.html}")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) Files.deleteIfExists(f);
            }
        }
    }
}
