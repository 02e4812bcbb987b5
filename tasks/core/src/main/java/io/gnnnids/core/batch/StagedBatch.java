package io.gnnnids.core.batch;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The staged batch a step after consume-batch works on, opened from the manifest it receives with {@code --manifest}
 * (a path or an s3:// URI): that manifest, checked to come from the step expected before; the batch's files as local
 * files; and the place of the step's own manifest, beside the batch's. Closing it removes the local copies.
 */
public final class StagedBatch implements AutoCloseable {

    private final StagingArea area;
    private final String folder;
    private final String address;
    private final Manifest manifest;

    private StagedBatch(StagingArea area, String folder, String address, Manifest manifest) {
        this.area = area;
        this.folder = folder;
        this.address = address;
        this.manifest = manifest;
    }

    /** As {@link #open(String, String, S3Settings)} with S3 settings from the AWS variables. */
    public static StagedBatch open(String manifest, String expectedStep) throws IOException {
        return open(manifest, expectedStep, null);
    }

    /**
     * The batch of the manifest at {@code manifest}, which must have been written by {@code expectedStep} and
     * describe a batch whose staged Parquet file still exists.
     */
    public static StagedBatch open(String manifest, String expectedStep, S3Settings s3) throws IOException {
        UsageError.require(manifest, "--manifest", "the previous step's output");
        StagingAreas.StagedFile file = StagingAreas.locate(manifest, expectedStep, s3);
        StagingArea area = file.area();
        try {
            Path local = area.fetch(file.batchId(), file.name())
                    .orElseThrow(() -> new UsageError("--manifest " + manifest + " does not exist: pass the "
                            + (manifest.startsWith("s3://") ? "URI " : "path ") + expectedStep + " printed"));
            Manifest m = Manifest.read(local);
            if (!expectedStep.equals(m.step())) {
                throw new UsageError("--manifest " + manifest + " was written by " + m.step()
                        + ", expected the manifest of " + expectedStep);
            }
            if (m.batch() == null) {
                throw new UsageError("--manifest " + manifest + " describes no batch");
            }
            if (!area.has(file.batchId(), Batch.PARQUET)) {
                throw gone(area.address(file.batchId(), Batch.PARQUET), m.batch());
            }
            return new StagedBatch(area, file.batchId(), area.address(file.batchId(), file.name()), m);
        } catch (IOException | RuntimeException e) {
            area.close();
            throw e;
        }
    }

    private static StepFailure gone(String parquet, Batch batch) {
        return new StepFailure("staged file " + parquet + " of batch " + batch.id()
                + " is gone: run consume-batch again (the batch will be re-read from Kafka)");
    }

    public Manifest manifest() {
        return manifest;
    }

    public Batch batch() {
        return manifest.batch();
    }

    /** The manifest's address, as the step's own manifest records its input: an absolute path or an s3:// URI. */
    public String address() {
        return address;
    }

    /** The staged Parquet file, as a local file. */
    public Path parquet() {
        return fetch(Batch.PARQUET).orElseThrow(() -> gone(area.address(folder, Batch.PARQUET), batch()));
    }

    /** A file of the batch as a local file, or empty when the batch has none. */
    public Optional<Path> fetch(String name) {
        return area.fetch(folder, name);
    }

    public boolean has(String name) {
        return area.has(folder, name);
    }

    /** Where the step writes a file of the batch (or a scratch folder) locally; {@link #upload} makes it staged. */
    public Path localFile(String name) throws IOException {
        return Files.createDirectories(area.localDir(folder)).resolve(name);
    }

    /** Makes the file written at {@link #localFile} the batch's; returns its address. */
    public String upload(String name) {
        area.upload(folder, name);
        return area.address(folder, name);
    }

    /** Writes the step's manifest beside the batch's; returns its address, which the step prints. */
    public String writeManifest(String step, StepRun run) throws IOException {
        return area.writeManifest(folder, ManifestPaths.ofStep(step), run);
    }

    @Override
    public void close() {
        area.close();
    }
}
