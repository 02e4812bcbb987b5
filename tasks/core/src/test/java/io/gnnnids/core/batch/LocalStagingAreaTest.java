package io.gnnnids.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.store.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStagingAreaTest extends StagingAreaContract {

    @TempDir
    Path tmp;

    @Override
    String workDir() {
        return tmp.resolve("work").toString();
    }

    @Override
    S3Settings s3() {
        return null;
    }

    @Test
    void batchesAreFoldersOfTheWorkDirAndManifestsTheirAbsolutePaths() throws Exception {
        try (StagedBatches staged = open()) {
            String manifest = stage(staged, 0, 2);
            Batch batch = read(manifest, StagedBatches.CONSUME_STEP).batch();
            Path dir = tmp.resolve("work").resolve("batches").resolve(batch.id());
            assertEquals(dir.resolve("manifest.json").toString(), manifest);
            assertEquals(dir.toString(), batch.dir());
            assertTrue(Files.isRegularFile(dir.resolve("batch.parquet")));
        }
    }

    @Test
    void aHalfStagedFolderIsHiddenAndPrunedOnceOlderThanTheKeepTime() throws Exception {
        try (StagedBatches staged = open()) {
            Path incoming = staged.area().newIncoming();
            Files.writeString(incoming.resolve(Batch.PARQUET), "half");
            assertTrue(staged.area().list().isEmpty(), "a half-staged batch is not listed");
            assertEquals(0, staged.prune(Duration.ofHours(1)));
            assertEquals(1, staged.prune(Duration.ZERO));
            assertFalse(Files.exists(incoming));
        }
    }

    @Test
    void aRelativeWorkDirIsResolvedAndAFileUriIsAFolderToo() throws Exception {
        try (StagedBatches staged =
                StagedBatches.open(tmp.resolve("work").toUri().toString(), null)) {
            String manifest = stage(staged, 0, 2);
            assertTrue(
                    manifest.startsWith(tmp.resolve("work").resolve("batches").toString()), manifest);
        }
        assertTrue(Path.of(StagingAreas.locate("m/b/x.json", "hot-write", null)
                        .area()
                        .dirAddress("b"))
                .isAbsolute());
    }
}
