package io.gnnnids.core.evaluation;

import io.gnnnids.core.model.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code evaluation.html}: one self-contained page (inline CSS and SVG; no script, font or anything fetched) that
 * opens offline: ROC and precision-recall curves (all inputs, and each input holding both classes), detection rate
 * per attack family, detection and false-positive rate per input, and the figures as tables.
 */
public final class EvaluationHtml {
    private static final String STYLE = "body{font-family:sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse;margin:8px 0 24px;font-size:13px}th,td{border:1px solid "
            + "#ccc;padding:3px 8px;"
            + "text-align:right}th:first-child,td:first-child{text-align:left;white-space:nowrap}th{background:#f2f2f2}"
            + "svg{font-size:12px;margin:4px 24px 16px 0}.charts{display:flex;flex-wrap:wrap}"
            + ".note{color:#555}";

    private EvaluationHtml() {}

    public static String render(EvaluationReport r) {
        EvaluationReport.Model m = r.model();
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.append("<title>Evaluation of ")
                .append(esc(m.name()))
                .append(" version ")
                .append(esc(m.version()))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n");
        h.append("<h1>Evaluation of ")
                .append(esc(m.name()))
                .append(" version ")
                .append(esc(m.version()))
                .append("</h1>\n");
        Figures all = r.overall();
        h.append("<p>")
                .append(all.flows())
                .append(" flows in ")
                .append(r.inputs().size())
                .append(" input(s): ")
                .append(all.attacks())
                .append(" attacks, ")
                .append(all.benign())
                .append(" benign, ")
                .append(all.unlabelled())
                .append(" unlabelled (scored as context, not counted). Threshold ")
                .append(fmt(m.threshold()))
                .append(", model from ")
                .append(esc(m.source()))
                .append(", ")
                .append(esc(r.createdAt()))
                .append(".</p>\n");
        h.append("<p class=\"note\">Each input is scored on its own graphs. \"—\": not defined for these flows "
                + "(no attacks, no benign flows, or nothing flagged).</p>\n");

        List<Svg.Series> roc = new ArrayList<>();
        List<Svg.Series> pr = new ArrayList<>();
        if (all.hasBothClasses()) {
            roc.add(new Svg.Series("all inputs", Svg.COLOURS[0], all.roc()));
            pr.add(new Svg.Series("all inputs", Svg.COLOURS[0], all.pr()));
        }
        for (int i = 0; i < r.inputs().size(); i++) {
            EvaluationReport.Input in = r.inputs().get(i);
            if (!in.figures().hasBothClasses()) continue;
            roc.add(new Svg.Series(in.name(), colour(i), in.figures().roc()));
            pr.add(new Svg.Series(in.name(), colour(i), in.figures().pr()));
        }
        h.append("<h2>Curves</h2>\n");
        if (roc.isEmpty()) {
            h.append("<p>No input holds both attacks and benign flows: there is no curve to draw.</p>\n");
        } else {
            h.append("<div class=\"charts\">")
                    .append(Svg.lines("ROC curve", "false-positive rate", "detection rate", roc, true))
                    .append(Svg.lines("Precision-recall curve", "detection rate (recall)", "precision", pr, false))
                    .append("</div>\n");
        }

        h.append("<h2>Detection rate per attack family</h2>\n");
        List<Svg.Bar> families = new ArrayList<>();
        all.families()
                .forEach((family, rate) ->
                        families.add(new Svg.Bar(family + " (" + rate.count() + ")", Svg.COLOURS[0], rate.rate())));
        h.append(
                families.isEmpty()
                        ? "<p>No attacks in the inputs.</p>\n"
                        : Svg.bars("Detection rate per attack family", families) + "\n");

        h.append("<h2>Per input: detection rate and false-positive rate</h2>\n");
        List<Svg.Bar> perInput = new ArrayList<>();
        for (int i = 0; i < r.inputs().size(); i++) {
            EvaluationReport.Input in = r.inputs().get(i);
            perInput.add(new Svg.Bar(
                    in.name() + ": detection rate", colour(i), in.figures().detectionRate()));
            perInput.add(new Svg.Bar(
                    in.name() + ": false-positive rate", colour(i), in.figures().falsePositiveRate()));
        }
        h.append(Svg.bars("Detection rate and false-positive rate per input", perInput))
                .append('\n');

        h.append("<h2>Figures</h2>\n<table><tr><th>input</th><th>flows</th><th>attacks</th><th>benign</th>"
                + "<th>unlabelled</th><th>rejected</th><th>detected</th><th>false alarms</th><th>detection rate</th>"
                + "<th>false-positive rate</th><th>precision</th><th>F1</th><th>ROC-AUC</th><th>PR-AUC</th>"
                + "<th>DR at 0.1 % FPR</th><th>DR at 1 % FPR</th></tr>\n");
        long rejected =
                r.inputs().stream().mapToLong(EvaluationReport.Input::rejected).sum();
        row(h, "all inputs", all, rejected);
        for (EvaluationReport.Input in : r.inputs()) row(h, in.name(), in.figures(), in.rejected());
        h.append("</table>\n");

        h.append("<h2>Attack families</h2>\n");
        familyTable(h, r);

        h.append("<h2>Inputs</h2>\n<table><tr><th>input</th><th>source</th><th>records rejected</th></tr>\n");
        for (EvaluationReport.Input in : r.inputs()) {
            h.append("<tr><td>")
                    .append(esc(in.name()))
                    .append("</td><td>")
                    .append(esc(in.source()))
                    .append("</td><td>")
                    .append(in.rejected())
                    .append(
                            in.rejectedByReason().isEmpty()
                                    ? ""
                                    : " " + esc(in.rejectedByReason().toString()))
                    .append("</td></tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    private static void row(StringBuilder h, String name, Figures f, long rejected) {
        h.append("<tr><td>").append(esc(name)).append("</td>");
        for (long n :
                new long[] {f.flows(), f.attacks(), f.benign(), f.unlabelled(), rejected, f.detected(), f.falseAlarms()
                }) {
            h.append("<td>").append(n).append("</td>");
        }
        List<Double> values = new ArrayList<>(
                Arrays.asList(f.detectionRate(), f.falsePositiveRate(), f.precision(), f.f1(), f.rocAuc(), f.prAuc()));
        for (double target : Figures.FPR_TARGETS)
            values.add(f.detectionRateAtFpr().get(String.valueOf(target)));
        for (Double v : values) h.append("<td>").append(fmt(v)).append("</td>");
        h.append("</tr>\n");
    }

    /** Attacks, detected and detection rate per family: over all inputs, then per input. */
    private static void familyTable(StringBuilder h, EvaluationReport r) {
        TreeSet<String> names = new TreeSet<>(r.overall().families().keySet());
        if (names.isEmpty()) {
            h.append("<p>No attacks in the inputs.</p>\n");
            return;
        }
        h.append("<table><tr><th>family</th><th>all inputs</th>");
        for (EvaluationReport.Input in : r.inputs())
            h.append("<th>").append(esc(in.name())).append("</th>");
        h.append("</tr>\n");
        for (String family : names) {
            h.append("<tr><td>")
                    .append(esc(family))
                    .append("</td>")
                    .append(familyCell(r.overall().families(), family));
            for (EvaluationReport.Input in : r.inputs())
                h.append(familyCell(in.figures().families(), family));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String familyCell(Map<String, Metrics.FamilyRate> families, String family) {
        Metrics.FamilyRate rate = families.get(family);
        if (rate == null) return "<td>—</td>";
        return "<td>" + rate.detected() + " of " + rate.count() + " (" + fmt(rate.rate()) + ")</td>";
    }

    private static String colour(int input) {
        return Svg.COLOURS[1 + input % (Svg.COLOURS.length - 1)];
    }

    /** A figure with 4 decimals; "—" when it is not defined. */
    public static String fmt(Double v) {
        return v == null || !Double.isFinite(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }

    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
