package io.gnnnids.consumebatch;

import io.gnnnids.core.batch.BatchStager;
import io.gnnnids.core.batch.StagedBatches;
import io.gnnnids.core.cli.BatchStepCommand;
import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.DurationConverter;
import io.gnnnids.core.cli.ExitCode;
import io.gnnnids.core.cli.GroupOption;
import io.gnnnids.core.cli.KafkaOptions;
import io.gnnnids.core.cli.PartitionGroupConverter;
import io.gnnnids.core.cli.TopicOption;
import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.kafka.BatchConsumer;
import io.gnnnids.core.kafka.KafkaClients;
import io.gnnnids.core.kafka.PartitionGroup;
import io.gnnnids.core.store.ParquetFlowWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "consume-batch",
        description = {
            "Reads the next batch of Zeek conn records from Kafka, from the group's committed offsets and "
                    + "without committing, validates them and stages them in $NIDS_WORK_DIR/batches/<batch-id>/: "
                    + "batch.parquet, quarantine.jsonl (rejected records with the reason) and manifest.json. "
                    + "With an s3:// work dir the batch is built locally and uploaded there, its manifest last.",
            "Stops at --max-records, at --timeout, or as soon as it has caught up with the end of the topic. "
                    + "A batch staged earlier but never committed is resumed instead of read again."
        })
public class ConsumeBatchCommand extends BatchStepCommand {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TopicOption topic;

    @Mixin
    GroupOption group;

    @Option(
            names = "--work-dir",
            defaultValue = "${env:NIDS_WORK_DIR}",
            description = "Staging folder or s3://bucket/prefix; batches go to <work-dir>/batches/<batch-id>/ "
                    + "(env NIDS_WORK_DIR). S3 uses AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
                    + "AWS_REGION.")
    String workDir;

    @Option(
            names = "--partition-group",
            defaultValue = "0/1",
            converter = PartitionGroupConverter.class,
            description = "Read only group i of n of the topic's partitions (those whose number modulo n is i), so "
                    + "that n runs of this step, one per group, read the topic side by side (default "
                    + "${DEFAULT-VALUE}: every partition).")
    PartitionGroup partitionGroup;

    @Option(
            names = "--max-records",
            defaultValue = "5000",
            description = "Most records in one batch (default ${DEFAULT-VALUE}).")
    int maxRecords;

    @Option(
            names = "--timeout",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Longest time to spend reading (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--max-message-bytes",
            defaultValue = "65536",
            description = "Records larger than this are quarantined as too_large (default ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(
            names = "--keep-staged",
            defaultValue = "24h",
            converter = DurationConverter.class,
            description = "How long the staged Parquet of a committed batch is kept; manifests and quarantines stay "
                    + "(default ${DEFAULT-VALUE}).")
    Duration keepStaged;

    public static void main(String[] args) {
        Cli.main(ConsumeBatchCommand::new, args, KafkaClients::prepare, ParquetFlowWriter::prepare);
    }

    @Override
    protected Map<Integer, String> exitCodes() {
        return Map.of(ExitCode.NOTHING_TO_DO, "nothing new on the topic");
    }

    @Override
    protected String runBatch() throws Exception {
        String bootstrapServers = kafka.bootstrapServers();
        String topic = this.topic.topic();
        String group = this.group.group();
        UsageError.require(workDir, "--work-dir", "NIDS_WORK_DIR");
        if (maxRecords <= 0) throw new UsageError("--max-records must be positive, got " + maxRecords);
        if (maxMessageBytes <= 0) throw new UsageError("--max-message-bytes must be positive, got " + maxMessageBytes);

        try (StagedBatches staged = StagedBatches.open(workDir);
                BatchConsumer.Reader reader = BatchConsumer.reader(bootstrapServers, topic, group, partitionGroup)) {
            staged.prune(keepStaged);
            Optional<String> pending = staged.uncommittedStartingAt(topic, group, reader.startPositions());
            if (pending.isPresent()) {
                return pending.get();
            }

            BatchStager stager = new BatchStager(staged, topic, group, maxMessageBytes);
            Optional<String> manifest = stager.stage(handler -> reader.consume(maxRecords, timeout, handler));
            String partitions = partitionGroup.isAll() ? "" : " in partition group " + partitionGroup;
            return manifest.orElseThrow(() -> new NothingToDo(
                    "no new records on topic '" + topic + "'" + partitions + " for group '" + group + "'"));
        }
    }
}
