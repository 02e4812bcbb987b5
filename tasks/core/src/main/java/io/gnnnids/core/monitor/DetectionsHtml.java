package io.gnnnids.core.monitor;

import static io.gnnnids.core.evaluation.EvaluationHtml.esc;

import io.gnnnids.core.evaluation.Curves;
import io.gnnnids.core.evaluation.EvaluationHtml;
import io.gnnnids.core.evaluation.Svg;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.incident.ScoredFlow;
import io.gnnnids.core.store.HotStats;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The detections report: one self-contained HTML page per monitoring run (inline SVG and CSS, no script, nothing
 * from the network), for a person to read what the model flagged, grouped as incidents, and whether the pipeline
 * keeps up.
 */
public final class DetectionsHtml {

    private static final String STYLE = "body{font-family:sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse;margin:8px 0 24px;font-size:13px}th,td{border:1px solid "
            + "#ccc;padding:3px 8px;"
            + "text-align:right}th:first-child,td:first-child{text-align:left;white-space:nowrap}th{background:#f2f2f2}"
            + "td.l{text-align:left}tr.flow td{color:#555;font-size:12px}svg{font-size:12px;margin:4px 24px 16px 0}"
            + ".charts{display:flex;flex-wrap:wrap}.note{color:#555}.critical{color:#b00020}";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** A monitoring run as its report file recorded it, for the trend. */
    public record Run(
            String generatedAt,
            Long lag,
            Long unscored,
            Double oldestUnscoredAgeSeconds,
            Double lastIngestedAgeSeconds,
            int alerts) {}

    /**
     * The model infer last scored with, its test figures from training ({@code test}: name to value, empty when its
     * files are not in the work directory's model cache), and its last evaluation ({@code evaluatedAt} null when none).
     */
    public record Champion(
            String model,
            String threshold,
            String source,
            String scoredAt,
            Map<String, Double> test,
            String evaluatedAt,
            String evaluatedVersion,
            List<Evaluated> evaluation) {}

    /** One input of an evaluation: flows, detection rate, false-positive rate, F1, ROC-AUC (null: not defined). */
    public record Evaluated(
            String input, long flows, Double detectionRate, Double falsePositiveRate, Double f1, Double rocAuc) {}

    /**
     * Everything one page shows; {@code activity} and {@code view} are null while there is no hot store,
     * {@code champion} while infer has not run.
     */
    public record Page(
            String generatedAt,
            String topic,
            Long lag,
            String window,
            HotStoreActivity activity,
            DetectionsView view,
            List<Alert> alerts,
            List<Run> recentRuns,
            Champion champion) {}

    private DetectionsHtml() {}

    public static String render(Page p) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>gnn-nids detections ")
                .append(esc(p.generatedAt()))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>Detections</h1>\n");
        HotStoreActivity a = p.activity();
        h.append("<p>")
                .append(esc(p.generatedAt()))
                .append(" — topic ")
                .append(esc(p.topic()))
                .append(", lag ")
                .append(p.lag() == null ? "unknown" : p.lag())
                .append(" records; window ")
                .append(esc(p.window()));
        if (a != null) {
            h.append(": ")
                    .append(a.scoredInWindow())
                    .append(" flows scored, ")
                    .append(a.attacksInWindow())
                    .append(" flagged; ")
                    .append(a.unscored())
                    .append(" of ")
                    .append(a.flows())
                    .append(" flows in the hot store wait for a prediction");
        }
        h.append(".</p>\n");
        alerts(h, p.alerts());
        if (a == null || p.view() == null) {
            h.append("<p>There is no hot store yet: nothing was stored.</p>\n");
        } else {
            timeline(h, p.view().hours());
            h.append("<h2>Scores and families</h2>\n<div class=\"charts\">")
                    .append(scores(p.view().scoreBins()))
                    .append(families(p.view().families()))
                    .append("</div>\n");
            h.append("<h2>What was flagged, and why</h2>\n<div class=\"charts\">")
                    .append(counts(
                            "Families named for the flows flagged in the window (share of them)",
                            p.view().named()))
                    .append(counts(
                            "First reason given for the flows flagged in the window (share of them)",
                            p.view().reasons()))
                    .append("</div>\n");
            incidents(h, a.incidents(), p.view().incidentTop());
            sources(h, a);
            versions(h, a.modelVersions());
        }
        champion(h, p.champion());
        trend(h, p.recentRuns());
        return h.append("</body></html>\n").toString();
    }

    private static void alerts(StringBuilder h, List<Alert> alerts) {
        h.append("<h2>Alerts</h2>\n");
        if (alerts.isEmpty()) {
            h.append("<p>None.</p>\n");
            return;
        }
        h.append("<ul>");
        for (Alert al : alerts) {
            h.append("<li class=\"")
                    .append(al.critical() ? "critical" : "")
                    .append("\"><b>")
                    .append(esc(al.name()))
                    .append("</b> (")
                    .append(esc(al.severity()))
                    .append("): ")
                    .append(esc(al.message()))
                    .append("</li>");
        }
        h.append("</ul>\n");
    }

    private static void incidents(StringBuilder h, List<Incident> incidents, Map<String, List<ScoredFlow>> top) {
        h.append("<h2>Incidents</h2>\n");
        if (incidents.isEmpty()) {
            h.append("<p>No incident is open or changed in the window.</p>\n");
            return;
        }
        h.append("<p class=\"note\">A source host's flagged flows close in time, the highest scores first; under the "
                + "first " + DetectionsView.INCIDENTS_WITH_FLOWS
                + ", their top flows.</p>\n<table><tr><th>incident</th><th>host</th><th>status</th><th>from (UTC)</th>"
                + "<th>to</th><th>flows</th><th>peers</th><th>ports</th><th>max score</th><th>mean</th><th>model</th>"
                + "<th>families named</th></tr>");
        for (Incident i : incidents) {
            h.append("<tr><td>")
                    .append(esc(i.id()))
                    .append("</td><td class=\"l\">")
                    .append(esc(i.host()))
                    .append("</td><td class=\"l\">")
                    .append(esc(i.status()))
                    .append("</td><td>")
                    .append(time(i.firstSeen()))
                    .append("</td><td>")
                    .append(time(i.lastSeen()))
                    .append("</td><td>")
                    .append(i.flows())
                    .append("</td><td>")
                    .append(i.peers())
                    .append("</td><td>")
                    .append(i.ports())
                    .append("</td><td>")
                    .append(score(i.maxScore()))
                    .append("</td><td>")
                    .append(score(i.meanScore()))
                    .append("</td><td>")
                    .append(esc(String.join(", ", i.modelVersions())))
                    .append("</td><td class=\"l\">")
                    .append(esc(String.join(", ", i.families())))
                    .append("</td></tr>");
            for (ScoredFlow s : top.getOrDefault(i.id(), List.of())) {
                Flow f = s.flow();
                h.append("<tr class=\"flow\"><td>")
                        .append(esc(f.uid()))
                        .append("</td><td class=\"l\" colspan=\"3\">")
                        .append(esc(f.origH()))
                        .append(':')
                        .append(f.origP())
                        .append(" → ")
                        .append(esc(f.respH()))
                        .append(':')
                        .append(f.respP())
                        .append(' ')
                        .append(esc(f.proto()))
                        .append(f.service() == null ? "" : "/" + esc(f.service()))
                        .append("</td><td>")
                        .append(time(f.ts()))
                        .append("</td><td class=\"l\" colspan=\"3\">")
                        .append(esc(f.connState() == null ? "" : f.connState()))
                        .append(f.detailedLabel() == null ? "" : " — " + esc(f.detailedLabel()))
                        .append("</td><td>")
                        .append(score(s.score()))
                        .append("</td><td class=\"l\" colspan=\"3\">")
                        .append(esc(why(s)))
                        .append("</td></tr>");
            }
        }
        h.append("</table>\n");
    }

    /** "DDoS: source's fan-out, connection state (source: 812 flows to 3 peers on 2 ports, 97% unanswered)" */
    static String why(ScoredFlow s) {
        StringBuilder out = new StringBuilder(s.family() == null ? "" : s.family() + ": ");
        if (s.explanation() == null) return out.toString();
        List<String> groups = new ArrayList<>();
        s.explanation().path("reasons").forEach(r -> groups.add(r.path("group").asText()));
        out.append(String.join(", ", groups));
        com.fasterxml.jackson.databind.JsonNode src = s.explanation().path("source");
        if (!src.isMissingNode()) {
            out.append(String.format(
                    java.util.Locale.ROOT,
                    " (source: %d flows to %d peers on %d ports, %.0f%% unanswered)",
                    src.path("flows").asLong(),
                    src.path("peers").asLong(),
                    src.path("ports").asLong(),
                    100 * src.path("unansweredShare").asDouble()));
        }
        return out.toString();
    }

    private static void timeline(StringBuilder h, List<HotStats.Hour> hours) {
        h.append("<h2>Over the last day of traffic</h2>\n");
        if (hours.isEmpty()) {
            h.append("<p>No flow was scored.</p>\n");
            return;
        }
        long first = hours.get(0).start();
        long last = hours.get(hours.size() - 1).start();
        double span = Math.max(3600, last - first);
        Map<String, List<Curves.Point>> byVersion = new LinkedHashMap<>();
        for (HotStats.Hour x : hours) {
            byVersion
                    .computeIfAbsent(x.modelVersion(), v -> new ArrayList<>())
                    .add(new Curves.Point(
                            (x.start() - first) / span, x.scored() == 0 ? 0 : (double) x.flagged() / x.scored()));
        }
        List<Svg.Series> series = new ArrayList<>();
        int k = 1;
        for (var e : byVersion.entrySet()) {
            series.add(
                    new Svg.Series("model version " + e.getKey(), Svg.COLOURS[k++ % Svg.COLOURS.length], e.getValue()));
        }
        h.append("<div class=\"charts\">")
                .append(Svg.lines(
                        "Share of flows flagged per hour",
                        "hour, " + time(first) + " to " + time(last) + " UTC",
                        "share flagged",
                        series,
                        false))
                .append("</div>\n");
        h.append("<table><tr><th>hour (UTC)</th><th>model</th><th>scored</th><th>flagged</th></tr>");
        for (HotStats.Hour x : hours) {
            h.append("<tr><td>")
                    .append(time(x.start()))
                    .append("</td><td>")
                    .append(esc(x.modelVersion()))
                    .append("</td><td>")
                    .append(x.scored())
                    .append("</td><td>")
                    .append(x.flagged())
                    .append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static String scores(long[] bins) {
        long total = 0;
        for (long b : bins) total += b;
        List<Svg.Bar> bars = new ArrayList<>();
        for (int i = 0; i < bins.length; i++) {
            String label = String.format(
                    Locale.ROOT,
                    "score %.2f–%.2f (%d flows)",
                    i / (double) bins.length,
                    (i + 1) / (double) bins.length,
                    bins[i]);
            bars.add(new Svg.Bar(
                    label, Svg.COLOURS[i >= bins.length / 2 ? 2 : 1], total == 0 ? null : (double) bins[i] / total));
        }
        return Svg.bars("Scores of the flows scored in the window (share of them)", bars);
    }

    private static String counts(String title, List<HotStats.Count> counts) {
        long total = counts.stream().mapToLong(HotStats.Count::flows).sum();
        List<Svg.Bar> bars = new ArrayList<>();
        for (HotStats.Count c : counts) {
            bars.add(new Svg.Bar(c.name() + " (" + c.flows() + ")", Svg.COLOURS[2], (double) c.flows() / total));
        }
        return Svg.bars(title, bars);
    }

    private static String families(List<HotStats.Family> families) {
        List<Svg.Bar> bars = new ArrayList<>();
        for (HotStats.Family f : families) {
            bars.add(new Svg.Bar(
                    f.name() + " (" + f.flows() + (f.attack() ? " attack" : " benign") + " flows)",
                    Svg.COLOURS[f.attack() ? 3 : 2],
                    f.flows() == 0 ? null : (double) f.flagged() / f.flows()));
        }
        if (bars.isEmpty()) return "<p>No flow scored in the window carries a label.</p>";
        return Svg.bars("Share flagged per ground-truth family, in the window", bars);
    }

    private static void sources(StringBuilder h, HotStoreActivity a) {
        h.append("<h2>Top sources and targets of flagged flows</h2>\n<table><tr><th>source</th><th>flagged flows</th>"
                + "<th>hosts reached</th><th>ports</th></tr>");
        for (HotStats.Source s : a.topSources()) {
            h.append("<tr><td>")
                    .append(esc(s.host()))
                    .append("</td><td>")
                    .append(s.attacks())
                    .append("</td><td>")
                    .append(s.hosts())
                    .append("</td><td>")
                    .append(s.ports())
                    .append("</td></tr>");
        }
        h.append("</table>\n<table><tr><th>target</th><th>port</th><th>flagged flows</th><th>sources</th></tr>");
        for (HotStats.Target t : a.topTargets()) {
            h.append("<tr><td>")
                    .append(esc(t.host()))
                    .append("</td><td>")
                    .append(t.port())
                    .append("</td><td>")
                    .append(t.attacks())
                    .append("</td><td>")
                    .append(t.sources())
                    .append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static void versions(StringBuilder h, Map<String, Long> versions) {
        h.append("<h2>Models</h2>\n<table><tr><th>model version</th><th>flows scored in the window</th></tr>");
        versions.forEach((v, n) -> h.append("<tr><td>")
                .append(esc(v))
                .append("</td><td>")
                .append(n)
                .append("</td></tr>"));
        h.append("</table>\n");
    }

    private static void champion(StringBuilder h, Champion c) {
        h.append("<h2>The model in use</h2>\n");
        if (c == null) {
            h.append("<p>infer has not scored anything yet.</p>\n");
            return;
        }
        h.append("<p>")
                .append(esc(c.model()))
                .append(", threshold ")
                .append(esc(c.threshold()))
                .append(" (from ")
                .append(esc(c.source()))
                .append("), last scoring run ")
                .append(esc(c.scoredAt()))
                .append(".</p>\n");
        if (!c.test().isEmpty()) {
            h.append("<p>On its test windows at training:</p>\n<table><tr>");
            c.test().keySet().forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
            h.append("</tr><tr>");
            c.test()
                    .values()
                    .forEach(v -> h.append("<td>").append(EvaluationHtml.fmt(v)).append("</td>"));
            h.append("</tr></table>\n");
        }
        if (c.evaluatedAt() == null) {
            h.append("<p>No evaluation yet: trigger the nids_evaluation DAG to measure it on labelled captures.</p>\n");
            return;
        }
        h.append("<p>Its last evaluation, version ")
                .append(esc(c.evaluatedVersion()))
                .append(", ")
                .append(esc(c.evaluatedAt()))
                .append(":</p>\n<table><tr><th>input</th><th>flows</th>"
                        + "<th>detection rate</th><th>false-positive rate</th><th>F1</th><th>ROC-AUC</th></tr>");
        for (Evaluated e : c.evaluation()) {
            h.append("<tr><td>")
                    .append(esc(e.input()))
                    .append("</td><td>")
                    .append(e.flows())
                    .append("</td><td>")
                    .append(EvaluationHtml.fmt(e.detectionRate()))
                    .append("</td><td>")
                    .append(EvaluationHtml.fmt(e.falsePositiveRate()))
                    .append("</td><td>")
                    .append(EvaluationHtml.fmt(e.f1()))
                    .append("</td><td>")
                    .append(EvaluationHtml.fmt(e.rocAuc()))
                    .append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static void trend(StringBuilder h, List<Run> runs) {
        h.append("<h2>Recent monitoring runs</h2>\n<table><tr><th>run</th><th>lag</th><th>waiting for a prediction</th>"
                + "<th>oldest waiting (s)</th><th>since last stored (s)</th><th>alerts</th></tr>");
        for (Run r : runs) {
            h.append("<tr><td>")
                    .append(esc(r.generatedAt()))
                    .append("</td><td>")
                    .append(r.lag() == null ? "—" : r.lag())
                    .append("</td><td>")
                    .append(r.unscored() == null ? "—" : r.unscored())
                    .append("</td><td>")
                    .append(EvaluationHtml.fmt(r.oldestUnscoredAgeSeconds()))
                    .append("</td><td>")
                    .append(EvaluationHtml.fmt(r.lastIngestedAgeSeconds()))
                    .append("</td><td>")
                    .append(r.alerts())
                    .append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static String time(double epochSeconds) {
        return TIME.format(Instant.ofEpochMilli((long) (epochSeconds * 1000)));
    }

    private static String score(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
