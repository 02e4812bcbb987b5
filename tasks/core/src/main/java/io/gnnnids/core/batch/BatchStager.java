package io.gnnnids.core.batch;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowParser;
import io.gnnnids.core.flow.InvalidFlow;
import io.gnnnids.core.flow.QuarantineWriter;
import io.gnnnids.core.kafka.BatchConsumer;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.ParquetFlowWriter;
import io.gnnnids.core.util.FileTrees;
import io.gnnnids.core.util.OrderedHandoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Kafka records into a staged batch: valid flows into {@code batch.parquet}, the rest into
 * {@code quarantine.jsonl} with the reason. The batch is built in a hidden local folder, moved under its id only
 * when complete, and then uploaded when the area is S3, its manifest last: a crash never leaves a half batch that
 * looks finished.
 */
public final class BatchStager {
    private static final Logger log = LoggerFactory.getLogger(BatchStager.class);

    /** Reads records into the handler and says which offsets it covered. */
    @FunctionalInterface
    public interface Source {
        BatchConsumer.ConsumedBatch read(BatchConsumer.RecordHandler handler) throws Exception;
    }

    /** A record the parser refused, on its way to the quarantine file. */
    private record Rejected(byte[] value, InvalidFlow reason, int partition, long offset) {}

    private final StagedBatches staged;
    private final String topic;
    private final String group;
    private final FlowParser parser;

    public BatchStager(StagedBatches staged, String topic, String group, int maxMessageBytes) {
        this.staged = staged;
        this.topic = topic;
        this.group = group;
        this.parser = new FlowParser(maxMessageBytes);
    }

    /** Stages what the source yields; returns the batch manifest's address, or empty when the source had none. */
    public Optional<String> stage(Source source) throws Exception {
        StepRun run = new StepRun(StagedBatches.CONSUME_STEP);
        StagingArea area = staged.area();
        Path incoming = area.newIncoming();
        try {
            BatchConsumer.ConsumedBatch consumed;
            long valid;
            List<LocalDate> days;
            QuarantineWriter quarantine = new QuarantineWriter(incoming.resolve(Batch.QUARANTINE));
            try (ParquetFlowWriter parquet = new ParquetFlowWriter(incoming.resolve(Batch.PARQUET));
                    quarantine;
                    OrderedHandoff<Object> writer = new OrderedHandoff<>("batch-writer", item -> {
                        if (item instanceof Rejected r) {
                            quarantine.write(r.value(), r.reason(), topic, r.partition(), r.offset());
                        } else {
                            parquet.write((Flow) item);
                        }
                    })) {
                // Polling and parsing here, Parquet encoding and writing on the writer's thread.
                consumed = source.read((partition, offset, value) -> {
                    try {
                        writer.add(parser.parseJson(value));
                    } catch (InvalidFlow bad) {
                        writer.add(new Rejected(value, bad, partition, offset));
                    }
                });
                writer.finish();
                valid = parquet.count();
                days = parquet.days();
            }
            if (consumed.records() == 0) {
                FileTrees.deleteRecursively(incoming);
                return Optional.empty();
            }
            String id = Batch.idFor(topic, consumed.offsets());
            // Same offsets staged before (a crash before its manifest was written): the new copy replaces it.
            area.clear(id);
            Path dir = area.localDir(id);
            Files.move(incoming, dir, StandardCopyOption.ATOMIC_MOVE);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList())
                    area.upload(id, file.getFileName().toString());
            }
            Batch batch = new Batch(
                    id,
                    area.dirAddress(id),
                    topic,
                    group,
                    consumed.offsets(),
                    valid,
                    quarantine.count(),
                    days.stream().map(LocalDate::toString).toList());
            run.batch(batch)
                    .count("consumed", consumed.records())
                    .count("records", valid)
                    .count("quarantined", quarantine.count())
                    .reasons(quarantine.reasons())
                    .output("parquet", area.address(id, Batch.PARQUET));
            if (quarantine.count() > 0) {
                run.output("quarantine", area.address(id, Batch.QUARANTINE));
                log.warn(
                        "quarantined {} of {} records ({}): see {}",
                        quarantine.count(),
                        consumed.records(),
                        quarantine.reasons(),
                        area.address(id, Batch.QUARANTINE));
            }
            run.info("stop_reason", consumed.stopReason());
            // Written after the staged files: a batch with a manifest is complete.
            String manifest = area.writeManifest(id, ManifestPaths.FOLDER_MANIFEST, run);
            log.info(
                    "staged batch {}: {} flows, {} quarantined, offsets {} ({}, {} s)",
                    id,
                    valid,
                    quarantine.count(),
                    consumed.offsets(),
                    consumed.stopReason(),
                    String.format("%.2f", run.seconds()));
            return Optional.of(manifest);
        } finally {
            if (Files.exists(incoming)) FileTrees.deleteRecursively(incoming);
        }
    }
}
