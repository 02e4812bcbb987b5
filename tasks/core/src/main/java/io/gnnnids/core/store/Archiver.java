package io.gnnnids.core.store;

import io.gnnnids.core.util.Durations;
import io.gnnnids.core.util.FileTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive step's work. {@link #archive} moves the flows that hot-write stored more than the retention ago, once
 * they have a prediction, from the hot store to the archive store ({@link ColdStore}'s layout, one object per UTC day
 * named after the archive run), then deletes them from the hot store; a run that died half way is finished first,
 * under its own id, so no flow is archived twice or lost. {@link #expireCold} deletes the cold store's old days.
 */
public final class Archiver {
    private static final Logger log = LoggerFactory.getLogger(Archiver.class);
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    /** What one archive run moved: its id, the flows and the objects written. */
    public record Run(String id, long flows, List<ColdObject> objects) {}

    /**
     * What {@link #archive} did.
     *
     * @param runs                 the archive runs, an unfinished earlier one first; one that found nothing moved 0
     * @param waitingForPrediction flows past retention that stay in the hot store until infer scores them
     * @param hotRowsLeft          rows in the hot store afterwards
     */
    public record Result(List<Run> runs, long waitingForPrediction, long hotRowsLeft) {
        /** The flows moved by all runs. */
        public long archived() {
            return runs.stream().mapToLong(Run::flows).sum();
        }
    }

    private final Supplier<HotStore> hot;
    private final Duration retention;
    private final Path work;

    /**
     * @param hot       opens the hot store read-write; it is opened for each step and closed while files are stored,
     *                  which may take a while on S3
     * @param retention how long a flow stays in the hot store after hot-write stored it
     * @param work      where each run's day files wait until they are stored
     */
    public Archiver(Supplier<HotStore> hot, Duration retention, Path work) {
        this.hot = hot;
        this.retention = retention;
        this.work = work;
    }

    /** Finishes an archive run an earlier one left unfinished, then archives what is past retention now. */
    public Result archive(ColdStore archive) throws IOException {
        List<Run> runs = new ArrayList<>();
        Optional<String> pending;
        try (HotStore store = hot.get()) {
            pending = HotArchive.pendingRun(store);
        }
        // A run that died after marking flows is finished first, under its own id: it rewrites the same objects.
        if (pending.isPresent()) {
            log.warn("finishing archive run {}, which an earlier run left unfinished", pending.get());
            runs.add(run(pending.get(), false, archive));
        }
        runs.add(run(newRunId(), true, archive));
        long waiting;
        long left;
        try (HotStore store = hot.get()) {
            waiting = HotArchive.unpredictedOlderThan(store, retention);
            left = store.count();
        }
        if (waiting > 0) {
            log.warn(
                    "{} flows stored more than {} ago have no prediction yet and stay in the hot store until infer "
                            + "scores them: check that the nids_inference DAG runs and that the model has a champion",
                    waiting,
                    Durations.text(retention));
        }
        return new Result(runs, waiting, left);
    }

    /**
     * One archive run: mark the flows past retention (unless finishing a marked run), export them by day, store the
     * files, then delete the flows. The hot store is closed while the files are stored.
     */
    private Run run(String id, boolean mark, ColdStore archive) throws IOException {
        Path scratch = work.resolve(id);
        try {
            List<DayFile> files;
            try (HotStore store = hot.get()) {
                if (mark && HotArchive.mark(store, id, retention) == 0) return new Run(id, 0, List.of());
                files = HotArchive.export(store, id, scratch);
            }
            List<ColdObject> objects = new ArrayList<>();
            for (DayFile f : files) objects.add(archive.storeAsItIs(id, f.file(), f.day(), f.rows()));
            long exported = files.stream().mapToLong(DayFile::rows).sum();
            try (HotStore store = hot.get()) {
                HotArchive.deleteArchived(store, id, exported);
            }
            log.info("archive run {}: {} flows in {} object(s)", id, exported, objects.size());
            return new Run(id, exported, objects);
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
    }

    /**
     * Deletes the cold store's objects of the days that ended more than {@code retention} ago, counted in whole UTC
     * days, and returns their keys.
     */
    public static List<String> expireCold(ColdStore cold, Duration retention) {
        LocalDate firstKept = LocalDate.now(ZoneOffset.UTC).minusDays(retention.toDays());
        List<String> deleted = cold.deleteDaysBefore(firstKept);
        if (!deleted.isEmpty()) {
            log.info(
                    "deleted {} cold object(s) of the days before {} from {}",
                    deleted.size(),
                    firstKept,
                    cold.objectStore());
        }
        return deleted;
    }

    private static String newRunId() {
        return "archive-" + ID_TIME.format(Instant.now());
    }
}
