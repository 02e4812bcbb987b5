package io.gnnnids.hotwrite;

import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.batch.StagedBatch;
import io.gnnnids.core.batch.StagedBatches;
import io.gnnnids.core.cli.BatchStepCommand;
import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.HotStoreOptions;
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
public class HotWriteCommand extends BatchStepCommand {
    // Not static: logging is set up when the command is built, once a second thread has started (Cli.main).
    private final Logger log = LoggerFactory.getLogger(HotWriteCommand.class);

    @Option(names = "--manifest", description = "Manifest printed by consume-batch (a path or an s3:// URI).")
    String manifest;

    @Mixin
    HotStoreOptions hot;

    public static void main(String[] args) {
        Cli.main(HotWriteCommand::new, args);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.FAILURE, "a failure, for example the DuckDB file stayed locked");
    }

    @Override
    protected String runBatch() throws Exception {
        Path duckdb = hot.path();
        try (StagedBatch staged = StagedBatch.open(manifest, StagedBatches.CONSUME_STEP)) {
            Batch batch = staged.batch();
            StepRun run =
                    new StepRun(StagedBatches.HOT_STEP).input(staged.address()).batch(batch);

            Path parquet = staged.parquet();
            HotWriteResult result;
            try (HotStore store = hot.open()) {
                result = HotBatches.insert(store, batch.id(), parquet);
            }
            // cold-write reads the list, possibly on another host: it is staged with the batch.
            Files.write(staged.localFile(Batch.DUPLICATES), result.duplicateUids());
            run.count("staged", result.staged())
                    .count("inserted", result.inserted())
                    .count("duplicates", result.duplicates())
                    .output("duckdb", duckdb.toAbsolutePath())
                    .output("duplicates", staged.upload(Batch.DUPLICATES));
            log.info(
                    "batch {}: {} of {} flows stored in {} ({} duplicates)",
                    batch.id(),
                    result.inserted(),
                    result.staged(),
                    duckdb,
                    result.duplicates());
            return staged.writeManifest(StagedBatches.HOT_STEP, run);
        }
    }
}
