package io.gnnnids.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportDirTest {

    @TempDir
    Path dir;

    private static Map<String, Object> report(String at, long lag, long unscored, int alerts) {
        return Map.of(
                "generatedAt",
                at,
                "lag",
                lag,
                "hotStore",
                Map.of("unscored", unscored, "oldestUnscoredAgeSeconds", 12.5),
                "alerts",
                java.util.Collections.nCopies(alerts, Map.of("name", "lag")));
    }

    @Test
    void reportsAreWrittenTwiceAndTheTrendReadsTheLastRunsOldestFirst() throws Exception {
        ReportDir reports = new ReportDir(dir.resolve("reports"));
        assertEquals(List.of(), reports.recentRuns(5), "no folder yet: no runs");
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < 4; i++) {
            Instant at = t.plusSeconds(60L * i);
            Path file = reports.writeReport(report(at.toString(), 100L + i, i, i), at);
            assertEquals(
                    "monitor-20260301T10" + String.format("%02d", i) + "00Z.json",
                    file.getFileName().toString());
        }
        assertTrue(Files.readString(reports.latestJson()).contains("2026-03-01T10:03:00Z"));

        List<DetectionsHtml.Run> runs = reports.recentRuns(2);
        assertEquals(2, runs.size());
        assertEquals("2026-03-01T10:02:00Z", runs.get(0).generatedAt());
        assertEquals("2026-03-01T10:03:00Z", runs.get(1).generatedAt());
        assertEquals(103L, runs.get(1).lag());
        assertEquals(3L, runs.get(1).unscored());
        assertEquals(12.5, runs.get(1).oldestUnscoredAgeSeconds());
        assertNull(runs.get(1).lastIngestedAgeSeconds(), "absent from the report: not known");
        assertEquals(3, runs.get(1).alerts());
    }

    @Test
    void aPageGoesToItsRunsFileToLatestAndToTheAirflowRunsFile() throws Exception {
        ReportDir reports = new ReportDir(dir);
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        Path page = reports.writePage("<html>one</html>", at, "manual__2026-03-01T10:00:00+00:00");
        assertEquals("monitor-20260301T100000Z.html", page.getFileName().toString());
        assertEquals("<html>one</html>", Files.readString(reports.latestHtml()));
        assertEquals("<html>one</html>", Files.readString(dir.resolve("run-manual__2026-03-01T10_00_00_00_00.html")));

        reports.writePage("<html>two</html>", at.plusSeconds(60), null);
        assertEquals("<html>two</html>", Files.readString(reports.latestHtml()));
        try (var files = Files.list(dir)) {
            assertEquals(4, files.filter(f -> f.toString().endsWith(".html")).count(), "no run page without an id");
        }
    }

    @Test
    void pruningDeletesOldReportsAndPagesButKeepsLatestAndTheAlertLog() throws Exception {
        ReportDir reports = new ReportDir(dir);
        Instant old = Instant.parse("2026-03-01T10:00:00Z");
        Path oldReport = reports.writeReport(report(old.toString(), 1L, 0, 0), old);
        Path oldPage = reports.writePage("<html/>", old, "r1");
        Path newReport = reports.writeReport(report(old.toString(), 1L, 0, 0), old.plusSeconds(3600));
        Path alerts = Files.writeString(dir.resolve("alerts.jsonl"), "{}\n");
        for (Path f : List.of(oldReport, oldPage, dir.resolve("run-r1.html"), alerts, reports.latestJson())) {
            Files.setLastModifiedTime(f, FileTime.from(old));
        }
        Files.setLastModifiedTime(newReport, FileTime.from(old.plusSeconds(3600)));

        reports.prune(old.plusSeconds(1800));

        assertFalse(Files.exists(oldReport));
        assertFalse(Files.exists(oldPage));
        assertFalse(Files.exists(dir.resolve("run-r1.html")));
        assertTrue(Files.exists(newReport));
        assertTrue(Files.exists(alerts), "alerts.jsonl is the alert history: never pruned");
        assertTrue(Files.exists(reports.latestJson()));
        assertTrue(Files.exists(reports.latestHtml()));
    }
}
