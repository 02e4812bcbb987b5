package io.gnnnids.archive;

import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.ColdStoreOption;
import io.gnnnids.core.cli.DurationConverter;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.HotStoreOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.Archiver;
import io.gnnnids.core.store.ColdObject;
import io.gnnnids.core.store.ColdStore;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import io.gnnnids.core.util.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "archive",
        description = {
            "Moves the flows that hot-write stored more than --retention ago, once they have a prediction, "
                    + "from the hot store to the archive store: <archive-uri>/date=YYYY-MM-DD/<archive-id>.parquet "
                    + "(UTC "
                    + "day of the flow's ts), with every flow field, its prediction, score, model_version, "
                    + "predicted_at, "
                    + "batch_id and ingested_at; then deletes them from DuckDB. Flows still waiting for a prediction "
                    + "stay. "
                    + "A run that died half way is finished by the next one under the same archive id, so no flow is "
                    + "archived twice or lost.",
            "With --cold-retention it also deletes the cold store's daily partitions older than that."
        })
public class ArchiveCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(ArchiveCommand.class);

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

    /** The cold store whose old days --cold-retention deletes. */
    @Mixin
    ColdStoreOption cold;

    // Text, not a Duration: an empty NIDS_COLD_RETENTION (as compose passes it when .env leaves it out) means unset.
    @Option(
            names = "--cold-retention",
            paramLabel = "DAYS",
            defaultValue = "${env:NIDS_COLD_RETENTION}",
            description = "Delete the days of the cold store (--cold-uri) that ended more than this long ago, in whole "
                    + "days, e.g. 90d "
                    + "(env NIDS_COLD_RETENTION; default: keep every day). Keep it above train's --days.")
    String coldRetentionText;

    @Mixin
    WorkDirOption workDir;

    public static void main(String[] args) {
        Cli.main(ArchiveCommand::new, args);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.NOTHING_TO_DO, "nothing is past retention");
    }

    @Override
    protected Path run() throws Exception {
        Path duckdb = hot.path();
        UsageError.require(archiveUri, "--archive-uri", "NIDS_ARCHIVE_URI");
        if (retention.isNegative()) throw new UsageError("--retention must not be negative");
        Duration coldRetention = coldRetention();
        StepRun run = new StepRun("archive");
        Path work = workDir.path().resolve("archive");

        // Without a hot store there is nothing to archive, and opening it would create one.
        Archiver.Result result = new Archiver.Result(List.of(), 0, 0);
        if (Files.exists(duckdb)) {
            try (ObjectStore archive = ObjectStores.open(archiveUri)) {
                result = new Archiver(hot::open, retention, work).archive(new ColdStore(archive));
            }
        }
        List<String> expired = List.of();
        if (coldRetention != null) {
            try (ObjectStore coldStore = ObjectStores.open(cold.uri())) {
                expired = Archiver.expireCold(new ColdStore(coldStore), coldRetention);
            }
        }

        long archived = result.archived();
        long waiting = result.waitingForPrediction();
        if (archived == 0 && expired.isEmpty()) {
            String hotPart = !Files.exists(duckdb)
                    ? "the hot store " + duckdb + " does not exist yet"
                    : "no flow in " + duckdb + " was stored more than " + Durations.text(retention)
                            + " ago with a prediction"
                            + (waiting > 0 ? " (" + waiting + " older ones still wait for infer)" : "");
            throw new NothingToDo(hotPart
                    + (coldRetention == null
                            ? ""
                            : ", and no cold day is older than " + Durations.text(coldRetention)));
        }
        long objects = 0;
        long bytes = 0;
        for (Archiver.Run r : result.runs()) {
            for (ColdObject o : r.objects()) {
                run.output(r.id() + "/date=" + o.date(), o.uri());
                objects++;
                bytes += o.bytes();
            }
        }
        run.count("archived", archived)
                .count("objects", objects)
                .count("bytes", bytes)
                .count("waiting_for_prediction", waiting)
                .count("hot_rows_left", result.hotRowsLeft())
                .count("cold_objects_expired", expired.size())
                .info(
                        "archive_ids",
                        String.join(
                                ",",
                                result.runs().stream()
                                        .filter(r -> r.flows() > 0)
                                        .map(Archiver.Run::id)
                                        .toList()))
                .info("retention", Durations.text(retention))
                .info("cold_retention", coldRetention == null ? "keep" : Durations.text(coldRetention));
        log.info(
                "archived {} flows to {} in {} object(s); {} flows left in the hot store; {} cold object(s) expired",
                archived,
                archiveUri,
                objects,
                result.hotRowsLeft(),
                expired.size());
        return run.write(ManifestPaths.ofRun(workDir.path(), "archive", String.valueOf(System.currentTimeMillis())));
    }

    /** --cold-retention as a duration of whole days, or null to keep every cold day. */
    private Duration coldRetention() {
        if (coldRetentionText == null || coldRetentionText.isBlank()) return null;
        Duration coldRetention;
        try {
            coldRetention = Durations.parse(coldRetentionText);
        } catch (RuntimeException e) {
            throw new UsageError("--cold-retention: " + e.getMessage());
        }
        cold.uri(); // required with --cold-retention, checked before any work
        if (coldRetention.toDays() < 1) {
            throw new UsageError(
                    "--cold-retention is counted in whole days, got " + Durations.text(coldRetention) + " (e.g. 90d)");
        }
        return coldRetention;
    }
}
