package io.gnnnids.commitoffsets;

import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.batch.StagedBatch;
import io.gnnnids.core.batch.StagedBatches;
import io.gnnnids.core.cli.BatchStepCommand;
import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.GroupOption;
import io.gnnnids.core.cli.KafkaOptions;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.kafka.KafkaClients;
import io.gnnnids.core.kafka.OffsetCommitter;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "commit-offsets",
        description = {
            "Commits a batch's end offsets for the consumer group, once hot-write and cold-write have both "
                    + "succeeded, so the next consume-batch starts after it. Refuses if the group has already moved "
                    + "past "
                    + "the batch's start; a re-run on a committed batch changes nothing."
        })
public class CommitOffsetsCommand extends BatchStepCommand {
    // Not static: logging is set up when the command is built, once a second thread has started (Cli.main).
    private final Logger log = LoggerFactory.getLogger(CommitOffsetsCommand.class);

    @Option(names = "--manifest", description = "Manifest printed by cold-write (a path or an s3:// URI).")
    String manifest;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    GroupOption etlGroup;

    public static void main(String[] args) {
        Cli.main(CommitOffsetsCommand::new, args, KafkaClients::prepare);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.OK, "committed, or already committed");
    }

    @Override
    protected String runBatch() throws Exception {
        String bootstrapServers = kafka.bootstrapServers();
        String group = etlGroup.group();
        try (StagedBatch staged = StagedBatch.open(manifest, StagedBatches.COLD_STEP)) {
            Batch batch = staged.batch();
            if (!group.equals(batch.group())) {
                throw new UsageError("--group " + group + " differs from the group batch " + batch.id()
                        + " was consumed for (" + batch.group() + ")");
            }
            if (!staged.has(ManifestPaths.ofStep(StagedBatches.HOT_STEP))) {
                throw new StepFailure(
                        "batch " + batch.id() + " has no hot-write manifest: run hot-write on it before committing");
            }
            StepRun run = new StepRun(StagedBatches.COMMIT_STEP)
                    .input(staged.address())
                    .batch(batch);
            OffsetCommitter.CommitOutcome outcome =
                    OffsetCommitter.commit(bootstrapServers, group, batch.topic(), batch.offsets());
            long records =
                    batch.offsets().stream().mapToLong(r -> r.end() - r.start()).sum();
            run.count("offsets_records", records).info("outcome", outcome);
            log.info(
                    "batch {}: offsets {} for group {} {}",
                    batch.id(),
                    batch.offsets(),
                    group,
                    outcome == OffsetCommitter.CommitOutcome.COMMITTED ? "committed" : "were already committed");
            return staged.writeManifest(StagedBatches.COMMIT_STEP, run);
        }
    }
}
