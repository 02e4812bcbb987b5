package io.gnnnids.hotwrite;

import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.batch.BatchManifests;
import io.gnnnids.core.batch.StagedBatches;
import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.HotStoreOptions;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.HotBatches;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.HotWriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "hot-write",
        description = {
            "Inserts a staged batch into the hot DuckDB table 'flows' (created or migrated as needed). "
                    + "Rows whose uid is already stored are skipped and counted as duplicates, so re-running is "
                    + "harmless."
        })
public class HotWriteCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(HotWriteCommand.class);

    @Option(names = "--manifest", description = "Manifest printed by consume-batch.")
    Path manifest;

    @Mixin
    HotStoreOptions hot;

    public static void main(String[] args) {
        Cli.main(new HotWriteCommand(), args);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.FAILURE, "a failure, for example the DuckDB file stayed locked");
    }

    @Override
    protected Path run() throws Exception {
        Path duckdb = hot.path();
        Manifest in = BatchManifests.require(manifest, StagedBatches.CONSUME_STEP);
        Batch batch = in.batch();
        StepRun run = new StepRun(StagedBatches.HOT_STEP).input(manifest).batch(batch);

        HotWriteResult result;
        try (HotStore store = hot.open()) {
            result = HotBatches.insert(store, batch.id(), batch.parquet());
        }
        Path duplicates = batch.duplicates();
        Files.write(duplicates, result.duplicateUids());
        run.count("staged", result.staged())
                .count("inserted", result.inserted())
                .count("duplicates", result.duplicates())
                .output("duckdb", duckdb.toAbsolutePath())
                .output("duplicates", duplicates);
        log.info(
                "batch {}: {} of {} flows stored in {} ({} duplicates)",
                batch.id(),
                result.inserted(),
                result.staged(),
                duckdb,
                result.duplicates());
        return run.write(ManifestPaths.ofStepIn(batch.dirPath(), StagedBatches.HOT_STEP));
    }
}
