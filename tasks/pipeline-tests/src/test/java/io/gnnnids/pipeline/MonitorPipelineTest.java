package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.model.Explainer;
import io.gnnnids.core.model.Explanation;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.store.HotPredictions;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The monitor step against a real Kafka broker and a hot store that the ETL filled and infer partly scored. */
class MonitorPipelineTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    String topic;
    String group;

    @BeforeEach
    void names(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName();
        topic = "mon-" + name;
        group = "etl-" + name;
    }

    StepRunner.Result ok(String step, String... args) {
        StepRunner.Result r = StepRunner.inProcess(step, args);
        assertEquals(0, r.exitCode(), step + ": " + r);
        return r;
    }

    /** Sends generated flows to the topic and stores the first {@code batch} of them with one ETL run. */
    void etl(int flows, int batch) {
        ok(
                "replay",
                "generate",
                "--flows",
                String.valueOf(flows),
                "--seed",
                "41",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--manifest-dir",
                tmp.toString());
        Path m = ok(
                        "consume-batch",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic",
                        topic,
                        "--group",
                        group,
                        "--work-dir",
                        tmp.resolve("work").toString(),
                        "--max-records",
                        String.valueOf(batch))
                .manifest();
        m = ok("hot-write", "--manifest", m.toString(), "--duckdb", duckdb().toString())
                .manifest();
        m = ok(
                        "cold-write",
                        "--manifest",
                        m.toString(),
                        "--cold-uri",
                        tmp.resolve("cold").toString())
                .manifest();
        ok(
                "commit-offsets",
                "--manifest",
                m.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--group",
                group);
    }

    /** Scores the oldest {@code count} waiting flows as infer would, the first {@code attacks} of them as attacks. */
    List<Flow> score(int count, int attacks) {
        try (HotStore store = HotStore.open(duckdb(), Duration.ofSeconds(10))) {
            List<Flow> flows = HotPredictions.unpredicted(store, count);
            List<String> uids = new ArrayList<>();
            float[] scores = new float[flows.size()];
            String[] families = new String[flows.size()];
            String[] explanations = new String[flows.size()];
            String why = new Explanation(
                            List.of(new Explainer.Reason("source's fan-out", 3.2, 0.2)),
                            "DDoS",
                            0.9,
                            new Explanation.Neighbourhood(40, 30, 1, 0.95, 0))
                    .toJson();
            for (int i = 0; i < flows.size(); i++) {
                uids.add(flows.get(i).uid());
                scores[i] = i < attacks ? 0.97f : 0.02f;
                if (i < attacks) {
                    families[i] = "DDoS";
                    explanations[i] = why;
                }
            }
            HotPredictions.write(store, uids, scores, 0.5, "3", families, explanations);
            IncidentTable.update(store, Duration.ofMinutes(15));
            return flows;
        }
    }

    Path duckdb() {
        return tmp.resolve("hot.duckdb");
    }

    String alertsTopic() {
        return "alerts-" + topic;
    }

    /** Every committed message on the alerts topic, counted one by one. */
    long alertMessages() {
        java.util.Properties p = io.gnnnids.core.kafka.KafkaClients.consumer(kafka.bootstrapServers(), "test", null);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
            var partitions = consumer.partitionsFor(alertsTopic()).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(alertsTopic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            long n = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
            return n;
        }
    }

    Path reports() {
        return tmp.resolve("reports");
    }

    StepRunner.Result monitor(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--group",
                group,
                "--duckdb",
                duckdb().toString(),
                "--report-dir",
                reports().toString(),
                "--work-dir",
                tmp.resolve("work").toString(),
                "--alerts-topic",
                alertsTopic()));
        args.addAll(List.of(more));
        return StepRunner.inProcess("monitor", args.toArray(String[]::new));
    }

    @Test
    void reportsLagWaitingFlowsAndDetectionsAndRaisesAlerts() throws Exception {
        etl(3000, 1000);
        List<Flow> scored = score(200, 50);

        StepRunner.Result r = monitor("--max-lag", "500", "--max-delay", "0s");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode report = JSON.readTree(reports().resolve("latest.json").toFile());
        assertEquals(2000, report.get("lag").asLong());
        assertEquals(2000, sum(report.get("partitions"), "end") - sum(report.get("partitions"), "position"));
        JsonNode hot = report.get("hotStore");
        assertEquals(1000, hot.get("flows").asLong());
        assertEquals(800, hot.get("unscored").asLong());
        assertEquals(1000, hot.get("ingestedInWindow").asLong());
        assertEquals(200, hot.get("scoredInWindow").asLong());
        assertEquals(50, hot.get("attacksInWindow").asLong());
        assertEquals(50, sumValues(hot.get("attacksByLabel")));
        assertEquals(200, hot.get("modelVersions").get("3").asLong());
        JsonNode top = hot.get("topSources").get(0);
        long fromTop = scored.subList(0, 50).stream()
                .filter(f -> f.origH().equals(top.get("host").asText()))
                .count();
        assertEquals(fromTop, top.get("attacks").asLong(), "the top source's attack count");
        assertTrue(hot.get("topSources").size() <= 10 && hot.get("topTargets").size() >= 1, hot.toString());
        // The 50 flagged flows, grouped by source into incidents that the report lists.
        Set<String> sources = new HashSet<>();
        scored.subList(0, 50).forEach(f -> sources.add(f.origH()));
        long inIncidents = 0;
        for (JsonNode incident : hot.get("incidents")) {
            assertTrue(sources.contains(incident.get("host").asText()), incident.toString());
            // One grouping run: new, or already closed when the traffic stored goes on past the gap.
            String status = incident.get("status").asText();
            assertEquals(status.equals("new") ? 1 : 2, incident.get("revision").asInt(), incident.toString());
            assertTrue(status.equals("new") || status.equals("closed"), incident.toString());
            inIncidents += incident.get("flows").asLong();
        }
        assertEquals(50, inIncidents);
        assertTrue(
                hot.get("incidents").size() >= sources.size(),
                hot.get("incidents").toString());
        // Each incident went to the alerts topic once, and a second run sends none of them again.
        int incidents = hot.get("incidents").size();
        assertEquals(incidents, report.get("incidentsPublished").asInt());
        assertEquals(incidents, alertMessages());
        // Each message carries the incident with the families named and its top flows with their explanations.
        for (String message : io.gnnnids.core.kafka.AlertTopic.lastByKey(kafka.bootstrapServers(), alertsTopic())
                .values()) {
            JsonNode alert = JSON.readTree(message);
            assertEquals("DDoS", alert.at("/incident/families/0").asText(), message);
            assertEquals(
                    "source's fan-out",
                    alert.at("/topFlows/0/explanation/reasons/0/group").asText(),
                    message);
            assertEquals("DDoS", alert.at("/topFlows/0/family").asText(), message);
        }
        StepRunner.Result again = monitor("--max-lag", "500", "--max-delay", "0s");
        assertEquals(0, Manifest.read(again.manifest()).count("incidents_published"), again.toString());
        assertEquals(incidents, alertMessages());

        List<String> names = new ArrayList<>();
        report.get("alerts")
                .forEach(a -> names.add(
                        a.get("name").asText() + "/" + a.get("severity").asText()));
        assertEquals(
                List.of(
                        "consumer_lag/critical",
                        "etl_stalled/critical",
                        "inference_behind/critical",
                        "attacks_detected/warning"),
                names);
        assertTrue(
                report.get("alerts").get(3).get("message").asText().contains("50 of 200 flows scored in the last 15m"),
                report.toString());
        assertEquals(4, Files.readAllLines(reports().resolve("alerts.jsonl")).size(), "raised once, not at every run");

        Manifest m = Manifest.read(r.manifest());
        assertEquals(2000, m.count("lag"));
        assertEquals(3, m.count("critical_alerts"));
        assertTrue(Files.isRegularFile(Path.of(m.outputs().get("report"))));

        StepRunner.Result failing = monitor("--max-lag", "500", "--max-delay", "0s", "--fail-on-alert");
        assertEquals(1, failing.exitCode(), failing.toString());
        assertTrue(
                failing.err()
                        .strip()
                        .lines()
                        .reduce((a, b) -> b)
                        .orElse("")
                        .contains("3 critical alert(s): consumer_lag"),
                failing.toString());
        assertEquals(4, Files.readAllLines(reports().resolve("alerts.jsonl")).size(), "nothing new was raised");

        // Within looser limits the three critical alerts clear, each with one line; the detections stay up.
        assertEquals(0, monitor("--max-lag", "100000", "--max-delay", "1d").exitCode());
        List<String> lines = Files.readAllLines(reports().resolve("alerts.jsonl"));
        assertEquals(7, lines.size());
        for (String line : lines.subList(4, 7)) {
            JsonNode cleared = JSON.readTree(line);
            assertEquals("cleared", cleared.get("state").asText(), line);
            assertEquals("critical", cleared.get("severity").asText(), line);
        }
    }

    @Test
    void aPipelineThatKeepsUpRaisesNoAlert() throws Exception {
        etl(1000, 5000);
        score(5000, 0);
        StepRunner.Result r = monitor("--fail-on-alert");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode report = JSON.readTree(reports().resolve("latest.json").toFile());
        assertEquals(0, report.get("lag").asLong());
        assertEquals(0, report.get("hotStore").get("unscored").asLong());
        assertEquals(0, report.get("alerts").size(), report.toString());
        assertTrue(!Files.exists(reports().resolve("alerts.jsonl")));
        assertEquals(0, Manifest.read(r.manifest()).count("alerts"));
    }

    @Test
    void theDetectionsPageOpensOfflineInAHeadlessBrowserWithItsIncidentsAndCharts() throws Exception {
        etl(2000, 2000);
        score(2000, 120);
        monitor();
        StepRunner.Result r = monitor("--run-id", "manual__2026-12-01T10:00:00+00:00");
        assertEquals(0, r.exitCode(), r.toString());
        Path latest = reports().resolve("latest.html");
        // The page of an Airflow run, where the plugin looks for it.
        assertEquals(
                Files.readString(latest),
                Files.readString(reports().resolve("run-manual__2026-12-01T10_00_00_00_00.html")));
        assertEquals(
                Files.readString(Path.of(Manifest.read(r.manifest()).outputs().get("html"))), Files.readString(latest));
        String page = Files.readString(latest);
        assertTrue(!page.contains("<script") && !page.contains("src=") && !page.contains("href="), "self-contained");
        JsonNode hot = JSON.readTree(reports().resolve("latest.json").toFile()).get("hotStore");

        HeadlessChromium chromium = HeadlessChromium.find(tmp.resolve("chromium"));
        assumeTrue(
                chromium != null,
                "no chromium binary on PATH (apt-get install chromium): the browser check is skipped");
        String dom = chromium.dom(latest);
        for (JsonNode incident : hot.get("incidents")) {
            assertTrue(dom.contains(incident.get("id").asText()), incident.get("id") + " is listed");
        }
        // Charts drawn: the hourly line, the score bins and the family bars.
        assertTrue(
                Pattern.compile("<polyline[^>]* points=\"[^\"]+\"").matcher(dom).find(), "a line over time");
        long bars = Pattern.compile("<rect [^>]*height=\"14\"")
                .matcher(dom)
                .results()
                .count();
        assertTrue(bars >= 3, bars + " bars");
        assertTrue(dom.contains("Recent monitoring runs") && dom.contains("Top sources and targets"), "every section");
        assertTrue(
                dom.contains("Families named for the flows flagged")
                        && dom.contains("DDoS: source's fan-out (source: 40 "
                                + "flows to 30 peers on 1 ports, 95% unanswered)"),
                "the families named and the flows' explanations");
        chromium.assertDrawn(latest);
    }

    @Test
    void incidentsReachAWebhookThatFailsAtFirstOnceItIsBack() throws Exception {
        etl(1000, 1000);
        score(1000, 30);
        AtomicInteger failures = new AtomicInteger(100);
        List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            boolean fail = failures.getAndDecrement() > 0;
            if (!fail) bodies.add(body);
            exchange.sendResponseHeaders(fail ? 503 : 200, -1);
            exchange.close();
        });
        hook.start();
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/";
            StepRunner.Result down = monitor("--webhook-url", url);
            JsonNode report = JSON.readTree(reports().resolve("latest.json").toFile());
            int incidents = report.get("incidentsPublished").asInt();
            assertTrue(incidents > 0, report.toString());
            assertEquals(incidents, Manifest.read(down.manifest()).count("webhook_pending"));
            assertTrue(report.get("alerts").toString().contains("webhook_failed"), report.toString());

            failures.set(0);
            StepRunner.Result back = monitor("--webhook-url", url);
            Manifest m = Manifest.read(back.manifest());
            assertEquals(incidents, m.count("webhook_sent"));
            assertEquals(0, m.count("webhook_pending"));
            assertEquals(0, m.count("incidents_published"), "the topic already has them");
            long lines = bodies.stream().mapToLong(b -> b.split("\\\\n").length).sum();
            assertEquals(incidents, lines, bodies.toString());
            assertTrue(bodies.get(0).startsWith("{\"text\":\"gnn-nids: new incident inc-"), bodies.toString());
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aTopicThatCannotBeReadIsACriticalAlertNotACrash() throws Exception {
        StepRunner.Result r = monitor();
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode report = JSON.readTree(reports().resolve("latest.json").toFile());
        assertTrue(report.get("lag").isNull() && report.get("hotStore").isNull(), report.toString());
        JsonNode alert = report.get("alerts").get(0);
        assertEquals("kafka_unreadable", alert.get("name").asText());
        assertTrue(alert.get("message").asText().contains("does not exist"), alert.toString());
    }

    @Test
    void badLimitsAreUsageErrors() {
        StepRunner.Result lag = monitor("--max-lag", "-1");
        assertEquals(2, lag.exitCode(), lag.toString());
        assertTrue(lag.err().contains("--max-lag"), lag.toString());
        StepRunner.Result window = monitor("--window", "0s");
        assertEquals(2, window.exitCode(), window.toString());
    }

    private static long sum(JsonNode array, String field) {
        long sum = 0;
        for (JsonNode n : array) sum += n.get(field).asLong();
        return sum;
    }

    private static long sumValues(JsonNode object) {
        long sum = 0;
        for (JsonNode n : object) sum += n.asLong();
        return sum;
    }
}
