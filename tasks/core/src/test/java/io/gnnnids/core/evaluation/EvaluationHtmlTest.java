package io.gnnnids.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EvaluationHtmlTest {

    static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void oneLinePerCurveOverallAndPerInputWithBothClasses() {
        String html = EvaluationHtml.render(EvaluationReportTest.report());
        // ROC and PR: all inputs + the botnet capture; the benign-only echo capture has no curve.
        assertEquals(4, count(html, "<polyline"), html);
        assertEquals(2, count(html, "<svg") - 2, "two curve charts besides the two bar charts");
        Matcher points = Pattern.compile("<polyline[^>]* points=\"([^\"]+)\"").matcher(html);
        while (points.find()) assertTrue(points.group(1).split(" ").length >= 2, points.group(1));
    }

    @Test
    void selfContainedWithNothingFromTheNetwork() {
        String html = EvaluationHtml.render(EvaluationReportTest.report());
        assertFalse(html.toLowerCase().contains("<script"), "no script");
        String withoutXmlns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertFalse(withoutXmlns.contains("http"), "no link to anything but the SVG namespace");
        assertFalse(html.contains("@import") || html.contains("url("), "no fetched style or font");
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.strip().endsWith("</html>"));
    }

    @Test
    void undefinedFiguresShowAsADashAndNamesAreEscaped() {
        String html = EvaluationHtml.render(EvaluationReportTest.report());
        assertTrue(html.contains("<td>—</td>"), "the echo capture's detection rate");
        assertFalse(html.contains("NaN") || html.contains("null"));
        assertTrue(html.contains("C&amp;C") && !html.contains("C&C"), "family names are escaped");
    }

    @Test
    void withoutBothClassesAnywhereThereIsNoCurveButAPage() {
        EvaluationReport r =
                EvaluationReport.of(EvaluationReportTest.MODEL, List.of(EvaluationReportTest.benignOnly()));
        String html = EvaluationHtml.render(r);
        assertEquals(0, count(html, "<polyline"));
        assertTrue(html.contains("no curve to draw"));
        assertTrue(
                r.metrics().containsKey("fpr") && !r.metrics().containsKey("dr"),
                r.metrics().toString());
        assertEquals(Map.of(), r.overall().families());
    }
}
