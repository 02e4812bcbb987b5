package io.gnnnids.archive;

import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.DurationConverter;
import io.gnnnids.core.cli.HotStoreOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.ColdObject;
import io.gnnnids.core.store.ColdStore;
import io.gnnnids.core.store.DayFile;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import io.gnnnids.core.util.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "archive",
        description = {
            "Moves the flows that hot-write stored more than --retention ago, once they have a prediction, "
                    + "from the hot store to the archive store: <archive-uri>/date=YYYY-MM-DD/<archive-id>.parquet (UTC "
                    + "day of the flow's ts), with every flow field, its prediction, score, model_version, predicted_at, "
                    + "batch_id and ingested_at; then deletes them from DuckDB. Flows still waiting for a prediction stay. "
                    + "A run that died half way is finished by the next one under the same archive id, so no flow is "
                    + "archived twice or lost.",
            "With --cold-retention it also deletes the cold store's daily partitions older than that.",
            "Exit codes: 0 done, 99 nothing past retention, 2 bad usage, 1 failure (for example S3 unreachable)."
        })
public class ArchiveCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(ArchiveCommand.class);
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    @Mixin
    HotStoreOptions hot;

    @Option(
            names = "--archive-uri",
            defaultValue = "${env:NIDS_ARCHIVE_URI}",
            description = "Archive store: a path, file:///path or s3://bucket/prefix (env NIDS_ARCHIVE_URI). "
                    + "S3 uses AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.")
    String archiveUri;

    @Option(
            names = "--retention",
            paramLabel = "DURATION",
            defaultValue = "${env:NIDS_HOT_RETENTION:-24h}",
            converter = DurationConverter.class,
            description = "How long a flow stays in the hot store after hot-write stored it (env NIDS_HOT_RETENTION, "
                    + "default 24h).")
    Duration retention;

    @Option(
            names = "--cold-uri",
            defaultValue = "${env:NIDS_COLD_URI}",
            description = "Cold store whose old partitions --cold-retention deletes (env NIDS_COLD_URI).")
    String coldUri;

    // Text, not a Duration: an empty NIDS_COLD_RETENTION (as compose passes it when .env leaves it out) means unset.
    @Option(
            names = "--cold-retention",
            paramLabel = "DAYS",
            defaultValue = "${env:NIDS_COLD_RETENTION}",
            description = "Delete the cold store's days that ended more than this long ago, in whole days, e.g. 90d "
                    + "(env NIDS_COLD_RETENTION; default: keep every day). Keep it above train's --days.")
    String coldRetentionText;

    @Mixin
    WorkDirOption workDir;

    public static void main(String[] args) {
        Cli.main(new ArchiveCommand(), args);
    }

    @Override
    protected Path run() throws Exception {
        Path duckdb = hot.path();
        UsageError.require(archiveUri, "--archive-uri", "NIDS_ARCHIVE_URI");
        if (retention.isNegative()) throw new UsageError("--retention must not be negative");
        Duration coldRetention = null;
        if (coldRetentionText != null && !coldRetentionText.isBlank()) {
            try {
                coldRetention = DurationConverter.parse(coldRetentionText);
            } catch (RuntimeException e) {
                throw new UsageError("--cold-retention: " + e.getMessage());
            }
            UsageError.require(coldUri, "--cold-uri", "NIDS_COLD_URI");
            if (coldRetention.toDays() < 1) {
                throw new UsageError("--cold-retention is counted in whole days, got "
                        + DurationConverter.text(coldRetention) + " (e.g. 90d)");
            }
        }
        StepRun run = new StepRun("archive");
        Path work = workDir.path().resolve("archive");

        List<Round> rounds = new ArrayList<>();
        long waiting = 0;
        long left = 0;
        if (Files.exists(duckdb)) {
            try (ObjectStore archive = ObjectStores.open(archiveUri)) {
                ColdStore layout = new ColdStore(archive);
                Optional<String> pending;
                try (HotStore store = hot.open()) {
                    pending = store.pendingArchive();
                }
                // A run that died after marking flows is finished first, under its own id: it rewrites the same
                // objects.
                if (pending.isPresent()) {
                    log.warn("finishing archive run {}, which an earlier run left unfinished", pending.get());
                    rounds.add(archiveRound(pending.get(), false, layout, work));
                }
                rounds.add(archiveRound(newArchiveId(), true, layout, work));
            }
            try (HotStore store = hot.open()) {
                waiting = store.unpredictedOlderThan(retention);
                left = store.count();
            }
            if (waiting > 0) {
                log.warn(
                        "{} flows stored more than {} ago have no prediction yet and stay in the hot store until infer "
                                + "scores them: check that the nids_inference DAG runs and that the model has a champion",
                        waiting,
                        DurationConverter.text(retention));
            }
        }
        List<String> expired = coldRetention == null ? List.of() : expireCold(coldRetention);

        long archived = rounds.stream().mapToLong(r -> r.flows).sum();
        if (archived == 0 && expired.isEmpty()) {
            String hotPart = !Files.exists(duckdb)
                    ? "the hot store " + duckdb + " does not exist yet"
                    : "no flow in " + duckdb + " was stored more than " + DurationConverter.text(retention)
                            + " ago with a prediction"
                            + (waiting > 0 ? " (" + waiting + " older ones still wait for infer)" : "");
            throw new NothingToDo(hotPart
                    + (coldRetention == null
                            ? ""
                            : ", and no cold day is older than " + DurationConverter.text(coldRetention)));
        }
        long objects = 0;
        long bytes = 0;
        for (Round r : rounds) {
            for (ColdObject o : r.objects) {
                run.output(r.id + "/date=" + o.date(), o.uri());
                objects++;
                bytes += o.bytes();
            }
        }
        run.count("archived", archived)
                .count("objects", objects)
                .count("bytes", bytes)
                .count("waiting_for_prediction", waiting)
                .count("hot_rows_left", left)
                .count("cold_objects_expired", expired.size())
                .info(
                        "archive_ids",
                        String.join(
                                ",",
                                rounds.stream()
                                        .filter(r -> r.flows > 0)
                                        .map(r -> r.id)
                                        .toList()))
                .info("retention", DurationConverter.text(retention))
                .info("cold_retention", coldRetention == null ? "keep" : DurationConverter.text(coldRetention));
        log.info(
                "archived {} flows to {} in {} object(s); {} flows left in the hot store; {} cold object(s) expired",
                archived,
                archiveUri,
                objects,
                left,
                expired.size());
        return run.write(work.resolve("archive-" + System.currentTimeMillis() + ".json"));
    }

    /** What one archive run moved: its id, the flows and the objects written. */
    private record Round(String id, long flows, List<ColdObject> objects) {}

    /**
     * One archive run: mark the flows past retention (unless finishing a marked run), export them by day, store the
     * files, then delete the flows. The DuckDB file is closed while the files are stored, which may take a while on S3.
     */
    private Round archiveRound(String id, boolean mark, ColdStore archive, Path work) throws IOException {
        Path scratch = work.resolve(id);
        try {
            List<DayFile> files;
            try (HotStore store = hot.open()) {
                if (mark && store.markForArchive(id, retention) == 0) return new Round(id, 0, List.of());
                files = store.exportArchive(id, scratch);
            }
            List<ColdObject> objects = new ArrayList<>();
            for (DayFile f : files) objects.add(archive.storeAsItIs(id, f.file(), f.day(), f.rows()));
            long exported = files.stream().mapToLong(DayFile::rows).sum();
            try (HotStore store = hot.open()) {
                store.deleteArchived(id, exported);
            }
            log.info("archive run {}: {} flows in {} object(s)", id, exported, objects.size());
            return new Round(id, exported, objects);
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
    }

    /** The cold objects of the days that ended more than --cold-retention ago, deleted. */
    private List<String> expireCold(Duration coldRetention) {
        LocalDate firstKept = LocalDate.now(ZoneOffset.UTC).minusDays(coldRetention.toDays());
        try (ObjectStore cold = ObjectStores.open(coldUri)) {
            List<String> deleted = new ColdStore(cold).deleteDaysBefore(firstKept);
            if (!deleted.isEmpty()) {
                log.info("deleted {} cold object(s) of the days before {} from {}", deleted.size(), firstKept, coldUri);
            }
            return deleted;
        }
    }

    private static String newArchiveId() {
        return "archive-" + ID_TIME.format(Instant.now());
    }
}
