package io.gnnnids.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.kafka.BatchConsumer;
import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.core.store.S3Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What staging does on any kind of area, through the classes the ETL steps use: consume-batch's {@link BatchStager}
 * and {@link StagedBatches}, and the later steps' {@link StagedBatch}. Each area's test supplies the work directory.
 */
abstract class StagingAreaContract {

    static final String TOPIC = "conn";
    static final String GROUP = "etl";

    /** A fresh, empty work directory: a path or an s3:// URI. */
    abstract String workDir();

    /** Settings that reach the S3 server, or null for a local area. */
    abstract S3Settings s3();

    StagedBatches open() {
        return StagedBatches.open(workDir(), s3());
    }

    static byte[] record(String uid, double ts) {
        return ("{\"ts\":" + ts + ",\"uid\":\"" + uid + "\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1234,"
                        + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Offsets first.. of partition 0: {@code flows} valid records, then one that is not JSON. */
    static BatchStager.Source source(long first, int flows) {
        return handler -> {
            long offset = first;
            for (int i = 0; i < flows; i++, offset++) handler.accept(0, offset, record("C" + offset, 1.8e9 + i));
            handler.accept(0, offset++, "not json".getBytes(StandardCharsets.UTF_8));
            return new BatchConsumer.ConsumedBatch(
                    List.of(new OffsetRange(0, first, offset)), flows + 1, BatchConsumer.ConsumedBatch.CAUGHT_UP);
        };
    }

    static String stage(StagedBatches staged, long first, int flows) throws Exception {
        return new BatchStager(staged, TOPIC, GROUP, 65536)
                .stage(source(first, flows))
                .orElseThrow();
    }

    /** The batch's manifest as it is staged. */
    Manifest read(String address, String step) throws Exception {
        try (StagedBatch batch = StagedBatch.open(address, step, s3())) {
            return batch.manifest();
        }
    }

    /** What commit-offsets leaves: its manifest beside the batch's. */
    String commit(String coldManifest) throws Exception {
        try (StagedBatch batch = StagedBatch.open(coldManifest, StagedBatches.COLD_STEP, s3())) {
            return batch.writeManifest(StagedBatches.COMMIT_STEP, new StepRun(StagedBatches.COMMIT_STEP));
        }
    }

    /** hot-write and cold-write's manifests, without their stores; returns cold-write's. */
    String hotAndCold(String consumed) throws Exception {
        String hot;
        try (StagedBatch batch = StagedBatch.open(consumed, StagedBatches.CONSUME_STEP, s3())) {
            hot = batch.writeManifest(StagedBatches.HOT_STEP, new StepRun(StagedBatches.HOT_STEP).batch(batch.batch()));
        }
        try (StagedBatch batch = StagedBatch.open(hot, StagedBatches.HOT_STEP, s3())) {
            return batch.writeManifest(
                    StagedBatches.COLD_STEP, new StepRun(StagedBatches.COLD_STEP).batch(batch.batch()));
        }
    }

    @Test
    void stagesTheBatchWithItsManifestNamingTheStagedFiles() throws Exception {
        try (StagedBatches staged = open()) {
            String manifest = stage(staged, 0, 20);
            Batch batch = read(manifest, StagedBatches.CONSUME_STEP).batch();
            StagingArea area = staged.area();
            assertEquals(area.address(batch.id(), "manifest.json"), manifest);
            assertEquals(area.dirAddress(batch.id()), batch.dir());
            assertTrue(manifest.startsWith(batch.dir() + "/"), manifest);
            assertEquals(20, batch.records());
            assertEquals(1, batch.quarantined());
            assertEquals(
                    Set.of("batch.parquet", "quarantine.jsonl", "manifest.json"),
                    area.list().get(batch.id()).keySet());
            Manifest m = read(manifest, StagedBatches.CONSUME_STEP);
            assertEquals(area.address(batch.id(), Batch.PARQUET), m.outputs().get("parquet"));
            assertEquals(area.address(batch.id(), Batch.QUARANTINE), m.outputs().get("quarantine"));
        }
    }

    @Test
    void resumesTheUncommittedBatchThatStartsWhereTheGroupStands() throws Exception {
        try (StagedBatches staged = open()) {
            String manifest = stage(staged, 100, 10);
            assertEquals(Optional.of(manifest), staged.uncommittedStartingAt(TOPIC, GROUP, Map.of(0, 100L)));
            assertEquals(Optional.empty(), staged.uncommittedStartingAt(TOPIC, GROUP, Map.of(0, 111L)));
            assertEquals(Optional.empty(), staged.uncommittedStartingAt(TOPIC, "other", Map.of(0, 100L)));
            assertEquals(Optional.empty(), staged.uncommittedStartingAt("other", GROUP, Map.of(0, 100L)));

            commit(hotAndCold(manifest));
            assertEquals(Optional.empty(), staged.uncommittedStartingAt(TOPIC, GROUP, Map.of(0, 100L)));
        }
        try (StagedBatches again = open()) {
            assertEquals(Optional.empty(), again.uncommittedStartingAt(TOPIC, GROUP, Map.of(0, 100L)));
        }
    }

    @Test
    void theStepsAfterConsumeReadLocalCopiesAndStageWhatTheyWriteBesideTheBatch() throws Exception {
        String consumed;
        try (StagedBatches staged = open()) {
            consumed = stage(staged, 0, 5);
        }
        String hot;
        String duplicates;
        try (StagedBatch batch = StagedBatch.open(consumed, StagedBatches.CONSUME_STEP, s3())) {
            assertEquals(consumed, batch.address());
            Path parquet = batch.parquet();
            assertTrue(Files.size(parquet) > 0, "a local copy of the staged Parquet");
            Files.write(batch.localFile(Batch.DUPLICATES), List.of("C1", "C3"));
            duplicates = batch.upload(Batch.DUPLICATES);
            hot = batch.writeManifest(
                    StagedBatches.HOT_STEP,
                    new StepRun(StagedBatches.HOT_STEP).input(batch.address()).batch(batch.batch()));
        }
        assertTrue(hot.endsWith("/hot-write.json") && duplicates.endsWith("/duplicates.txt"), hot);
        assertEquals(consumed.replace("manifest.json", "hot-write.json"), hot);
        try (StagedBatch batch = StagedBatch.open(hot, StagedBatches.HOT_STEP, s3())) {
            assertEquals(consumed, batch.manifest().input());
            assertEquals(
                    List.of("C1", "C3"),
                    Files.readAllLines(batch.fetch(Batch.DUPLICATES).orElseThrow()));
            assertTrue(batch.has("hot-write.json"));
            assertFalse(batch.has("cold-write.json"));
            assertEquals(Optional.empty(), batch.fetch("cold-write.json"));
        }
    }

    @Test
    void aManifestFromAnotherStepOrNowhereIsAUsageError() throws Exception {
        String consumed;
        try (StagedBatches staged = open()) {
            consumed = stage(staged, 0, 3);
        }
        UsageError wrongStep =
                assertThrows(UsageError.class, () -> StagedBatch.open(consumed, StagedBatches.HOT_STEP, s3()));
        assertTrue(wrongStep.getMessage().contains("was written by consume-batch"), wrongStep.getMessage());

        String missing = consumed.replace("manifest.json", "hot-write.json");
        UsageError none = assertThrows(UsageError.class, () -> StagedBatch.open(missing, StagedBatches.HOT_STEP, s3()));
        assertEquals(
                "--manifest " + missing + " does not exist: pass the " + (missing.startsWith("s3://") ? "URI" : "path")
                        + " hot-write printed",
                none.getMessage());
        assertThrows(UsageError.class, () -> StagedBatch.open(null, StagedBatches.HOT_STEP, s3()));
    }

    @Test
    void aBatchWhoseStagedFileIsGoneIsNotResumedAndSaysToConsumeAgain() throws Exception {
        try (StagedBatches staged = open()) {
            String manifest = stage(staged, 0, 3);
            Batch batch = read(manifest, StagedBatches.CONSUME_STEP).batch();
            staged.area().delete(batch.id(), Batch.PARQUET);

            assertEquals(Optional.empty(), staged.uncommittedStartingAt(TOPIC, GROUP, Map.of(0, 0L)));
            StepFailure e =
                    assertThrows(StepFailure.class, () -> StagedBatch.open(manifest, StagedBatches.CONSUME_STEP, s3()));
            assertEquals(
                    "staged file " + batch.dir() + "/batch.parquet of batch " + batch.id()
                            + " is gone: run consume-batch again (the batch will be re-read from Kafka)",
                    e.getMessage());
        }
    }

    @Test
    void stagingTheSameOffsetsAgainReplacesTheEarlierBatch() throws Exception {
        try (StagedBatches staged = open()) {
            String first = stage(staged, 0, 4);
            Batch batch = read(first, StagedBatches.CONSUME_STEP).batch();
            hotAndCold(first); // an earlier run's manifests, which the new batch must not carry
            String second = stage(staged, 0, 4);
            assertEquals(first, second, "the same offsets are the same batch");
            assertEquals(
                    Set.of("batch.parquet", "quarantine.jsonl", "manifest.json"),
                    staged.area().list().get(batch.id()).keySet());
        }
    }

    @Test
    void pruneRemovesTheStagedParquetOfCommittedBatchesOnlyAndKeepsTheirRecord() throws Exception {
        try (StagedBatches staged = open()) {
            String committed = stage(staged, 0, 3);
            String pending = stage(staged, 4, 3);
            commit(hotAndCold(committed));
            String committedId =
                    read(committed, StagedBatches.CONSUME_STEP).batch().id();
            String pendingId = read(pending, StagedBatches.CONSUME_STEP).batch().id();

            assertEquals(0, staged.prune(Duration.ofHours(1)), "committed too recently");
            assertTrue(staged.area().has(committedId, Batch.PARQUET));

            assertEquals(1, staged.prune(Duration.ZERO));
            assertEquals(
                    Set.of(
                            "manifest.json",
                            "quarantine.jsonl",
                            "hot-write.json",
                            "cold-write.json",
                            "commit-offsets.json"),
                    staged.area().list().get(committedId).keySet());
            assertTrue(staged.area().has(pendingId, Batch.PARQUET), "an uncommitted batch keeps its Parquet");
            assertEquals(0, staged.prune(Duration.ZERO), "nothing left to prune");
        }
    }
}
