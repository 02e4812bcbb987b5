package io.gnnnids.core.batch;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.store.S3Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staged batches of a work directory ({@code <work-dir>/batches/}, on local disk or S3; see {@link
 * StagingArea}): one folder per batch holding its Parquet file, its quarantine and one manifest per step that ran
 * on it: consume-batch's, which made the folder, then one per step after it (see {@link ManifestPaths}). Which
 * batch to resume and what to prune is decided here, the same way for either kind of area.
 */
public final class StagedBatches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StagedBatches.class);

    /** The ETL steps, in order; each names its manifest in the batch folder. */
    public static final String CONSUME_STEP = "consume-batch";

    public static final String HOT_STEP = "hot-write";
    public static final String COLD_STEP = "cold-write";
    public static final String COMMIT_STEP = "commit-offsets";

    private static final String BATCH_MANIFEST = ManifestPaths.FOLDER_MANIFEST;
    private static final String COMMITTED = ManifestPaths.ofStep(COMMIT_STEP);

    private final StagingArea area;

    /** The batches of the area, which this closes when closed. */
    public StagedBatches(StagingArea area) {
        this.area = area;
    }

    /** The batches of {@code --work-dir}: a path or s3://bucket/prefix (S3 settings from the AWS variables). */
    public static StagedBatches open(String workDir) {
        return open(workDir, null);
    }

    /** As {@link #open(String)}, with explicit S3 settings (null: from the environment). */
    public static StagedBatches open(String workDir, S3Settings s3) {
        return new StagedBatches(StagingAreas.ofWorkDir(workDir, s3));
    }

    public StagingArea area() {
        return area;
    }

    /**
     * A batch consumed earlier whose offsets were never committed and which starts where the group stands now; its
     * manifest's address. Reading again could cover a different range (more records may have arrived), so the
     * staged batch is resumed instead: its id, and so its hot rows and cold objects, stay the same.
     */
    public Optional<String> uncommittedStartingAt(String topic, String group, Map<Integer, Long> startPositions) {
        // The listing rules out committed and pruned batches, so only the manifests of the others are read.
        return area.list().entrySet().stream()
                .filter(b -> b.getValue().containsKey(BATCH_MANIFEST)
                        && b.getValue().containsKey(Batch.PARQUET)
                        && !b.getValue().containsKey(COMMITTED))
                .filter(b -> startsAt(read(b.getKey()), topic, group, startPositions))
                .max(Comparator.comparing(b -> b.getValue().get(BATCH_MANIFEST)))
                .map(b -> {
                    log.info(
                            "resuming batch {} staged earlier and not yet committed (its records are read again "
                                    + "from the stage, not from Kafka)",
                            b.getKey());
                    return area.address(b.getKey(), BATCH_MANIFEST);
                });
    }

    /**
     * Frees space: removes the staged Parquet (and cold-write's scratch files) of batches committed longer than
     * {@code keep} ago — their flows are in the hot and cold stores — and what crashed runs left half staged.
     * Manifests, quarantines and duplicate lists stay: they are the batch's record. A failure is only logged.
     */
    public int prune(Duration keep) {
        Instant cutoff = Instant.now().minus(keep);
        int pruned = 0;
        try {
            for (Map.Entry<String, SortedMap<String, Instant>> batch :
                    area.list().entrySet()) {
                Instant committed = batch.getValue().get(COMMITTED);
                if (committed == null
                        || !committed.isBefore(cutoff)
                        || !batch.getValue().containsKey(Batch.PARQUET)) continue;
                area.delete(batch.getKey(), Batch.PARQUET);
                area.delete(batch.getKey(), Batch.COLD_SCRATCH);
                pruned++;
            }
            pruned += area.pruneHalfStaged(cutoff);
        } catch (RuntimeException e) {
            log.warn("could not prune staged batches in {}: {}", area, e.getMessage());
        }
        if (pruned > 0) log.info("pruned the staged files of {} batch(es) committed before {}", pruned, cutoff);
        return pruned;
    }

    private static boolean startsAt(Manifest m, String topic, String group, Map<Integer, Long> startPositions) {
        Batch b = m == null ? null : m.batch();
        if (b == null || !topic.equals(b.topic()) || !group.equals(b.group())) return false;
        return b.offsets().stream().allMatch(r -> Long.valueOf(r.start()).equals(startPositions.get(r.partition())));
    }

    private Manifest read(String batchId) {
        try {
            Optional<Path> file = area.fetch(batchId, BATCH_MANIFEST);
            return file.isPresent() ? Manifest.read(file.get()) : null;
        } catch (IOException e) {
            log.warn("ignoring unreadable manifest {}: {}", area.address(batchId, BATCH_MANIFEST), e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        area.close();
    }
}
