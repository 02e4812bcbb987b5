package io.gnnnids.core.step;

import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.util.JsonFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small JSON record every step run leaves behind: what it read, what it wrote, counts and timings. Its
 * absolute path (or, for a batch staged in S3, its s3:// URI) is the last line a step prints, and the next step
 * receives it as {@code --manifest}.
 *
 * @param step     the step that wrote it (jar name)
 * @param version  the project version of that step
 * @param input    the manifest this run read, if any: an absolute path or an s3:// URI
 * @param batch    the ETL batch this run worked on, if any
 * @param counts   named counts (records, inserted, duplicates, quarantined, ...)
 * @param reasons  quarantine reasons and how many records each rejected
 * @param outputs  named outputs (paths or URIs)
 * @param info     other facts worth reading later (why the read stopped, what was resumed, ...)
 * @param startedAt ISO-8601 instant
 * @param seconds  wall time of the run
 */
public record Manifest(
        String step,
        String version,
        String input,
        Batch batch,
        Map<String, Long> counts,
        Map<String, Long> reasons,
        Map<String, String> outputs,
        Map<String, String> info,
        String startedAt,
        double seconds) {

    public Manifest {
        counts = counts == null ? Map.of() : new LinkedHashMap<>(counts);
        reasons = reasons == null ? Map.of() : new LinkedHashMap<>(reasons);
        outputs = outputs == null ? Map.of() : new LinkedHashMap<>(outputs);
        info = info == null ? Map.of() : new LinkedHashMap<>(info);
    }

    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** Writes atomically (temp file + rename), so a reader never sees half a manifest; returns the absolute path. */
    public Path write(Path file) throws IOException {
        return JsonFiles.writeTextAtomically(ManifestJson.write(this), file);
    }

    public static Manifest read(Path file) throws IOException {
        try {
            return ManifestJson.read(file);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new NoSuchFileException(
                    file + " (the manifest does not exist: pass the path the previous step printed)");
        }
    }
}
