package io.gnnnids.coldwrite;

import io.gnnnids.core.batch.Batch;
import io.gnnnids.core.batch.StagedBatch;
import io.gnnnids.core.batch.StagedBatches;
import io.gnnnids.core.cli.BatchStepCommand;
import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.ColdStoreOption;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.ColdObject;
import io.gnnnids.core.store.ColdStore;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "cold-write",
        description = {
            "Writes a batch that hot-write stored to the cold store as Parquet, one object per UTC day: "
                    + "<cold-uri>/date=YYYY-MM-DD/<batch-id>.parquet, on a local path or s3://bucket/prefix. Object "
                    + "names "
                    + "come from the batch id, so re-running overwrites the same objects. Flows hot-write found "
                    + "already "
                    + "stored by another batch are left out, so no flow is counted twice."
        })
public class ColdWriteCommand extends BatchStepCommand {
    // Not static: logging is set up when the command is built, once a second thread has started (Cli.main).
    private final Logger log = LoggerFactory.getLogger(ColdWriteCommand.class);

    @Option(names = "--manifest", description = "Manifest printed by hot-write (a path or an s3:// URI).")
    String manifest;

    @Mixin
    ColdStoreOption cold;

    public static void main(String[] args) {
        Cli.main(ColdWriteCommand::new, args);
    }

    @Override
    protected String runBatch() throws Exception {
        String coldUri = cold.uri();
        try (StagedBatch staged = StagedBatch.open(manifest, StagedBatches.HOT_STEP)) {
            Manifest in = staged.manifest();
            Batch batch = staged.batch();
            StepRun run =
                    new StepRun(StagedBatches.COLD_STEP).input(staged.address()).batch(batch);

            Optional<Path> duplicatesFile = staged.fetch(Batch.DUPLICATES);
            Set<String> exclude =
                    duplicatesFile.isPresent() ? new HashSet<>(Files.readAllLines(duplicatesFile.get())) : Set.of();

            // The usual batch, one day with every uid once and new, is the cold object already; the rest is split
            // and filtered. Hot-write counted the uids it left out: repeated in the batch or stored by another one.
            boolean asItIs = exclude.isEmpty()
                    && in.count("duplicates") == 0
                    && batch.days() != null
                    && batch.days().size() == 1;
            Path parquet = staged.parquet();
            List<ColdObject> objects;
            try (ObjectStore store = ObjectStores.open(coldUri)) {
                ColdStore cold = new ColdStore(store);
                objects = asItIs
                        ? List.of(cold.storeAsItIs(
                                batch.id(),
                                parquet,
                                LocalDate.parse(batch.days().get(0)),
                                batch.records()))
                        : cold.writeBatch(batch.id(), parquet, exclude, staged.localFile(Batch.COLD_SCRATCH));
            }
            long rows = 0;
            long bytes = 0;
            for (ColdObject o : objects) {
                run.output("date=" + o.date(), o.uri());
                rows += o.rows();
                bytes += o.bytes();
            }
            run.count("rows", rows)
                    .count("objects", objects.size())
                    .count("bytes", bytes)
                    .count("excluded", exclude.size());
            log.info("batch {}: {} flows written to {} in {} object(s)", batch.id(), rows, coldUri, objects.size());
            return staged.writeManifest(StagedBatches.COLD_STEP, run);
        }
    }
}
