package io.gnnnids.core.evaluation;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for {@link EvaluationHtml}: drawn here, so the page needs no script and nothing from the network.
 */
public final class Svg {
    public static final String[] COLOURS = {
        "#222222", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"
    };
    private static final String OPEN = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" ";

    /** One line of a chart, in the unit square. */
    public record Series(String label, String colour, List<Curves.Point> points) {}

    /** One bar of a bar chart: a value in [0, 1], or null for "not defined". */
    public record Bar(String label, String colour, Double value) {}

    private Svg() {}

    /** A square chart over [0, 1] x [0, 1], one polyline per series, a legend below. */
    public static String lines(String title, String xLabel, String yLabel, List<Series> series, boolean diagonal) {
        int size = 320;
        int left = 56;
        int top = 16;
        int legendTop = top + size + 46;
        int height = legendTop + 18 * series.size() + 8;
        StringBuilder s = new StringBuilder(OPEN)
                .append(String.format(
                        Locale.ROOT,
                        "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                        left + size + 24,
                        height,
                        left + size + 24,
                        height));
        s.append("<title>").append(EvaluationHtml.esc(title)).append("</title>");
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            double x = left + v * size;
            double y = top + (1 - v) * size;
            s.append(line(x, top, x, top + size, "#e4e4e4")).append(line(left, y, left + size, y, "#e4e4e4"));
            s.append(text(x, top + size + 16, "middle", num(v))).append(text(left - 6, y + 4, "end", num(v)));
        }
        s.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " + "stroke=\"#888888\"/>",
                left,
                top,
                size,
                size));
        if (diagonal) {
            s.append(line(left, top + size, left + size, top, "#bbbbbb").replace("/>", " stroke-dasharray=\"4 4\"/>"));
        }
        s.append(text(left + size / 2.0, top + size + 34, "middle", xLabel));
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>",
                top + size / 2.0,
                top + size / 2.0,
                EvaluationHtml.esc(yLabel)));
        for (int k = 0; k < series.size(); k++) {
            Series c = series.get(k);
            StringBuilder pts = new StringBuilder();
            for (Curves.Point p : c.points()) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + p.x() * size, top + (1 - p.y()) * size));
            }
            s.append("<polyline fill=\"none\" stroke=\"")
                    .append(c.colour())
                    .append("\" stroke-width=\"2\" points=\"")
                    .append(pts.toString().strip())
                    .append("\"><title>")
                    .append(EvaluationHtml.esc(c.label()))
                    .append("</title></polyline>");
            double y = legendTop + 18 * k;
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%s\"/>",
                    left,
                    y - 4,
                    c.colour()));
            s.append(text(left + 20, y + 1, "start", c.label()));
        }
        return s.append("</svg>").toString();
    }

    /** Horizontal bars of values in [0, 1], one row each, the value written beside its bar ("—" when null). */
    public static String bars(String title, List<Bar> bars) {
        int labelWidth = 300;
        int barWidth = 360;
        int row = 20;
        int width = labelWidth + barWidth + 70;
        int height = row * bars.size() + 30;
        StringBuilder s = new StringBuilder(OPEN)
                .append(String.format(
                        Locale.ROOT,
                        "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                        width,
                        height,
                        width,
                        height));
        s.append("<title>").append(EvaluationHtml.esc(title)).append("</title>");
        for (int i = 0; i <= 5; i++) {
            double x = labelWidth + i / 5.0 * barWidth;
            s.append(line(x, 4, x, height - 22, "#e4e4e4")).append(text(x, height - 8, "middle", num(i / 5.0)));
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = 6 + i * row;
            s.append(text(labelWidth - 8, y + 13, "end", b.label()));
            if (b.value() != null) {
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\">"
                                + "<title>%s: %s</title></rect>",
                        labelWidth,
                        y + 2,
                        Math.max(0.5, b.value() * barWidth),
                        b.colour(),
                        EvaluationHtml.esc(b.label()),
                        EvaluationHtml.fmt(b.value())));
            }
            double vx = labelWidth + (b.value() == null ? 0 : b.value() * barWidth) + 6;
            s.append(text(vx, y + 13, "start", EvaluationHtml.fmt(b.value())));
        }
        return s.append("</svg>").toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                x1,
                y1,
                x2,
                y2,
                colour);
    }

    private static String text(double x, double y, String anchor, String text) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                x,
                y,
                anchor,
                EvaluationHtml.esc(text));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
