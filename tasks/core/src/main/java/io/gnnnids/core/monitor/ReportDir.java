package io.gnnnids.core.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.util.JsonFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitor's report folder: a JSON report and an HTML page per run ({@code monitor-<time>.json/.html}, whose
 * names sort by time), {@code latest.json} and {@code latest.html} beside them, and a page per Airflow run
 * ({@code run-<id>.html}) where the Airflow plugin finds it. Every file is written atomically, so a reader never
 * sees half a report. {@code alerts.jsonl} lives here too ({@link AlertLog}) and is never pruned.
 */
public final class ReportDir {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;

    public ReportDir(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path latestJson() {
        return dir.resolve("latest.json");
    }

    public Path latestHtml() {
        return dir.resolve("latest.html");
    }

    /** Writes the run's report as monitor-<time>.json and latest.json; returns the former. */
    public Path writeReport(Object report, Instant at) throws IOException {
        Path file = JsonFiles.writeAtomically(report, dir.resolve("monitor-" + TIME.format(at) + ".json"));
        JsonFiles.writeAtomically(report, latestJson());
        return file;
    }

    /**
     * Writes the run's page as monitor-<time>.html and latest.html, and as run-<runId>.html when a run id is given
     * (characters other than letters, digits, '.', '_' and '-' become '_'); returns the first.
     */
    public Path writePage(String html, Instant at, String runId) throws IOException {
        Path file = JsonFiles.writeTextAtomically(html, dir.resolve("monitor-" + TIME.format(at) + ".html"));
        JsonFiles.writeTextAtomically(html, latestHtml());
        if (runId != null && !runId.isBlank()) {
            JsonFiles.writeTextAtomically(
                    html, dir.resolve("run-" + runId.replaceAll("[^A-Za-z0-9._-]", "_") + ".html"));
        }
        return file;
    }

    /** The last {@code n} runs' reports, oldest first, for the page's trend. */
    public List<DetectionsHtml.Run> recentRuns(int n) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "monitor-*.json")) {
                all.forEach(files::add);
            }
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

    /**
     * Deletes the reports and pages (monitor-*.json, monitor-*.html, run-*.html) last written before {@code before}.
     */
    public void prune(Instant before) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(dir, "{monitor-*.json,monitor-*.html,run-*.html}")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) Files.deleteIfExists(f);
            }
        }
    }

    static Long number(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    static Double decimal(JsonNode n) {
        return n == null || n.isNull() ? null : n.asDouble();
    }
}
