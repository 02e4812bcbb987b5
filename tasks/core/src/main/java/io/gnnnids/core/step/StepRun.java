package io.gnnnids.core.step;

import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.cli.Cli;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Collects what one step run did and writes it as its {@link Manifest}, timing the run from construction. */
public final class StepRun {
    private final String step;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private String input;
    private Batch batch;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Long> reasons = new LinkedHashMap<>();
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final Map<String, String> info = new LinkedHashMap<>();

    public StepRun(String step) {
        this.step = step;
    }

    public StepRun input(Path manifest) {
        this.input = manifest == null ? null : manifest.toAbsolutePath().toString();
        return this;
    }

    /** The manifest this run read, by its address: an absolute path or a URI (a batch staged in S3). */
    public StepRun input(String manifestAddress) {
        this.input = manifestAddress;
        return this;
    }

    public StepRun batch(Batch batch) {
        this.batch = batch;
        return this;
    }

    public StepRun count(String name, long value) {
        counts.put(name, value);
        return this;
    }

    public StepRun reasons(Map<String, Long> byReason) {
        reasons.putAll(byReason);
        return this;
    }

    public StepRun output(String name, Object pathOrUri) {
        outputs.put(name, String.valueOf(pathOrUri));
        return this;
    }

    public StepRun info(String name, Object value) {
        info.put(name, String.valueOf(value));
        return this;
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public Manifest manifest() {
        return new Manifest(
                step,
                Cli.version(),
                input,
                batch,
                counts,
                reasons,
                outputs,
                info,
                startedAt.toString(),
                Math.round(seconds() * 1000) / 1000.0);
    }

    /** Writes the manifest to {@code file} and returns its absolute path. */
    public Path write(Path file) throws IOException {
        return manifest().write(file);
    }
}
