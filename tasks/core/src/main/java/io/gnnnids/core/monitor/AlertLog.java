package io.gnnnids.core.monitor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.util.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code alerts.jsonl}: one JSON line when an alert is raised and one when it clears, not one per run while it
 * lasts, for a log shipper or a {@code tail -f}. Which alerts are up is kept in {@code alert-state.json} beside it.
 * The file is rotated when it passes {@code maxBytes}: {@code alerts.jsonl.1} is the newest old one, and
 * {@code keep} old files are kept.
 */
public final class AlertLog {

    public static final String RAISED = "raised";
    public static final String CLEARED = "cleared";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of the log. */
    public record Line(String generatedAt, String name, String severity, String message, String state) {}

    private final Path file;
    private final Path state;
    private final long maxBytes;
    private final int keep;

    public AlertLog(Path dir, long maxBytes, int keep) {
        this.file = dir.resolve("alerts.jsonl");
        this.state = dir.resolve("alert-state.json");
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    public Path file() {
        return file;
    }

    /** Appends what changed since the last run (raised, then cleared alerts); returns those lines. */
    public List<Line> record(String generatedAt, List<Alert> alerts) throws IOException {
        Map<String, Alert> before = Files.exists(state)
                ? JSON.readValue(state.toFile(), new TypeReference<LinkedHashMap<String, Alert>>() {})
                : Map.of();
        Map<String, Alert> now = new LinkedHashMap<>();
        alerts.forEach(a -> now.put(a.name(), a));
        List<Line> lines = new ArrayList<>();
        for (Alert a : now.values()) {
            if (!before.containsKey(a.name()))
                lines.add(new Line(generatedAt, a.name(), a.severity(), a.message(), RAISED));
        }
        for (Alert a : before.values()) {
            if (!now.containsKey(a.name()))
                lines.add(new Line(generatedAt, a.name(), a.severity(), a.message(), CLEARED));
        }
        if (!lines.isEmpty()) {
            rotateIfFull();
            StringBuilder text = new StringBuilder();
            for (Line l : lines) text.append(JSON.writeValueAsString(l)).append('\n');
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        // After the lines: a run that dies in between raises them again rather than never.
        JsonFiles.writeAtomically(now, state);
        return lines;
    }

    private void rotateIfFull() throws IOException {
        if (!Files.exists(file) || Files.size(file) < maxBytes) return;
        Files.deleteIfExists(rotated(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
        if (keep > 0) {
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }
}
