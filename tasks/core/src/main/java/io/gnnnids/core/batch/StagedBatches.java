package io.gnnnids.core.batch;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.util.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging area {@code <work-dir>/batches/}: one folder per batch holding its Parquet file, its quarantine and
 * one manifest per step that ran on it: consume-batch's, which made the folder, then one per step after it (see
 * {@link ManifestPaths}).
 */
public final class StagedBatches {
    private static final Logger log = LoggerFactory.getLogger(StagedBatches.class);

    /** The ETL steps, in order; each names its manifest in the batch folder. */
    public static final String CONSUME_STEP = "consume-batch";

    public static final String HOT_STEP = "hot-write";
    public static final String COLD_STEP = "cold-write";
    public static final String COMMIT_STEP = "commit-offsets";

    private final Path root;

    public StagedBatches(Path workDir) {
        this.root = workDir.toAbsolutePath().resolve("batches");
    }

    public Path root() {
        return root;
    }

    public Path dirFor(String batchId) {
        return root.resolve(batchId);
    }

    public static boolean committed(Batch batch) {
        return Files.exists(ManifestPaths.ofStepIn(batch.dirPath(), COMMIT_STEP));
    }

    /**
     * A batch consumed earlier whose offsets were never committed and which starts where the group stands now.
     * Reading again could cover a different range (more records may have arrived), so the staged batch is
     * resumed instead: its id, and so its hot rows and cold objects, stay the same.
     */
    public Optional<Path> uncommittedStartingAt(String topic, String group, Map<Integer, Long> startPositions) {
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> manifests = dirs.map(ManifestPaths::ofFolder)
                    .filter(Files::isRegularFile)
                    .toList();
            return manifests.stream()
                    .filter(m -> startsAt(read(m), topic, group, startPositions))
                    .max(Comparator.comparing(StagedBatches::modified))
                    .map(m -> {
                        log.info(
                                "resuming batch {} staged earlier and not yet committed (its records are read again "
                                        + "from the stage, not from Kafka)",
                                m.getParent().getFileName());
                        return m;
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list staged batches in " + root, e);
        }
    }

    /**
     * Frees disk: removes the staged Parquet (and cold-write's scratch files) of batches committed longer than
     * {@code keep} ago — their flows are in the hot and cold stores — and half-staged folders a crashed run left.
     * Manifests, quarantines and duplicate lists stay: they are the batch's record.
     */
    public int prune(Duration keep) {
        if (!Files.isDirectory(root)) return 0;
        Instant cutoff = Instant.now().minus(keep);
        int pruned = 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                boolean halfStaged = dir.getFileName().toString().startsWith(BatchStager.INCOMING_PREFIX);
                Path committedMarker = ManifestPaths.ofStepIn(dir, COMMIT_STEP);
                Path marker = halfStaged ? dir : committedMarker;
                if (!Files.exists(marker) || !modified(marker).toInstant().isBefore(cutoff)) continue;
                if (halfStaged) {
                    FileTrees.deleteRecursively(dir);
                } else {
                    Files.deleteIfExists(dir.resolve(Batch.PARQUET));
                    FileTrees.deleteRecursively(dir.resolve(Batch.COLD_SCRATCH));
                }
                pruned++;
            }
        } catch (IOException e) {
            log.warn("could not prune staged batches in {}: {}", root, e.getMessage());
        }
        if (pruned > 0) log.info("pruned the staged files of {} batch(es) committed before {}", pruned, cutoff);
        return pruned;
    }

    private static boolean startsAt(Manifest m, String topic, String group, Map<Integer, Long> startPositions) {
        Batch b = m == null ? null : m.batch();
        if (b == null || !topic.equals(b.topic()) || !group.equals(b.group()) || committed(b)) return false;
        if (!Files.exists(b.parquet())) return false;
        return b.offsets().stream().allMatch(r -> Long.valueOf(r.start()).equals(startPositions.get(r.partition())));
    }

    private static Manifest read(Path manifest) {
        try {
            return Manifest.read(manifest);
        } catch (IOException e) {
            log.warn("ignoring unreadable manifest {}: {}", manifest, e.getMessage());
            return null;
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
