package io.gnnnids.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.S3Settings;
import io.gnnnids.core.testing.S3ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Staging in a real S3 server (s3proxy on 127.0.0.1). */
class S3StagingAreaTest extends StagingAreaContract {

    @RegisterExtension
    static final S3ServerExtension S3 = new S3ServerExtension();

    /** A prefix per test keeps the tests apart in the one bucket. */
    final String prefix = "work-" + UUID.randomUUID();

    @Override
    String workDir() {
        return S3.uri(prefix);
    }

    @Override
    S3Settings s3() {
        return S3.settings();
    }

    @Test
    void batchesAreObjectsUnderTheWorkDirPrefixAndManifestsTheirUris() throws Exception {
        try (StagedBatches staged = open()) {
            String manifest = stage(staged, 0, 2);
            Batch batch = read(manifest, StagedBatches.CONSUME_STEP).batch();
            String dir = "s3://" + S3.bucket() + "/" + prefix + "/batches/" + batch.id();
            assertEquals(dir, batch.dir());
            assertEquals(dir + "/manifest.json", manifest);
        }
        try (ObjectStore store = S3.openStore(prefix)) {
            assertEquals(
                    List.of("batch.parquet", "manifest.json", "quarantine.jsonl"),
                    store.list("batches/").stream()
                            .map(k -> k.substring(k.lastIndexOf('/') + 1))
                            .toList());
        }
    }

    @Test
    void localCopiesLastOnlyAsLongAsTheRun() throws Exception {
        Path local;
        try (StagedBatches staged = open()) {
            String manifest = stage(staged, 0, 2);
            String id = read(manifest, StagedBatches.CONSUME_STEP).batch().id();
            local = staged.area().localDir(id);
            assertTrue(Files.isRegularFile(local.resolve(Batch.PARQUET)), "built locally, then uploaded");
            assertTrue(local.startsWith(Path.of(System.getProperty("java.io.tmpdir"))), local.toString());
        }
        assertFalse(Files.exists(local), "the scratch folder goes with the run");
    }

    @Test
    void aBatchUploadedWithoutItsManifestIsNeitherResumedNorKeptPastTheKeepTime() throws Exception {
        String id = Batch.idFor(TOPIC, List.of(new OffsetRange(0, 0, 3)));
        try (StagedBatches staged = open()) {
            // What a consume-batch that died between its uploads leaves: the staged files, no manifest.
            Path parquet = Files.createDirectories(staged.area().localDir(id)).resolve(Batch.PARQUET);
            Files.writeString(parquet, "half");
            staged.area().upload(id, Batch.PARQUET);

            assertEquals(Optional.empty(), staged.uncommittedStartingAt(TOPIC, GROUP, Map.of(0, 0L)));
            assertEquals(0, staged.prune(Duration.ofHours(1)));
            assertEquals(1, staged.prune(Duration.ZERO));
            assertFalse(staged.area().has(id, Batch.PARQUET));

            // The next run reads the same offsets again and stages the whole batch.
            String manifest = stage(staged, 0, 2);
            assertEquals(id, read(manifest, StagedBatches.CONSUME_STEP).batch().id());
            assertEquals(Optional.of(manifest), staged.uncommittedStartingAt(TOPIC, GROUP, Map.of(0, 0L)));
        }
    }
}
