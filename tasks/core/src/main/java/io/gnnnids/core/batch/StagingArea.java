package io.gnnnids.core.batch;

import io.gnnnids.core.step.StepRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Where staged batches live: {@code <work-dir>/batches/<batch-id>/} on local disk ({@link LocalStagingArea}), or the
 * same layout under an S3 prefix ({@link S3StagingArea}) so that the steps of one batch can run on different hosts.
 * Steps always work on local files, in {@link #localDir}: on local disk the batch folder itself; for S3 a scratch
 * copy that {@link #fetch} fills from the bucket and {@link #upload} sends back. A file of a batch is named by the
 * batch id and its file name ({@link Batch#PARQUET}, a manifest, ...). Open one with {@link StagingAreas}.
 */
public interface StagingArea extends AutoCloseable {

    /** The batch folder as manifests record it ({@link Batch#dir()}): an absolute path or an s3:// URI. */
    String dirAddress(String batchId);

    /** A file of the batch as manifests and the steps' output name it: an absolute path or an s3:// URI. */
    String address(String batchId, String name);

    /** The local folder where the steps read and write the batch's files (it may not exist yet). */
    Path localDir(String batchId);

    /** A new, empty local folder to build a batch in: no listing shows it, and a crash leaves it half staged. */
    Path newIncoming() throws IOException;

    /** The file as a local file in {@link #localDir} (downloaded from S3), or empty when the batch has no such file. */
    Optional<Path> fetch(String batchId, String name);

    boolean has(String batchId, String name);

    /** Makes the local file {@code localDir(batchId)/name} the batch's: an upload for S3, nothing on local disk. */
    void upload(String batchId, String name);

    /** Removes a file (or scratch folder) of the batch; nothing happens when there is none. */
    void delete(String batchId, String name);

    /** Removes everything of the batch, the manifest first, before the same batch is staged again. */
    void clear(String batchId);

    /** Every staged batch (half-staged ones excepted): batch id, then its files and when each was last written. */
    SortedMap<String, SortedMap<String, Instant>> list();

    /** Removes what runs that died while staging left, when it is older than the cutoff; returns how many batches. */
    int pruneHalfStaged(Instant cutoff);

    /** Writes the run's manifest as a file of the batch (a local file, then its upload); returns its address. */
    default String writeManifest(String batchId, String name, StepRun run) throws IOException {
        run.write(localDir(batchId).resolve(name));
        upload(batchId, name);
        return address(batchId, name);
    }

    /** Ends the connection to the store and removes local scratch copies. */
    @Override
    void close();
}
