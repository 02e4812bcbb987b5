package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import io.gnnnids.core.testing.S3ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETL with its work directory in S3 (a real S3 server on 127.0.0.1) and a real Kafka broker, run as java -jar
 * processes. Each step runs as on a host of its own: its own temp folder, and no work folder on disk, so the batch
 * reaches the next step only through S3.
 */
class S3StagingPipelineTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final S3ServerExtension s3 = new S3ServerExtension();

    @TempDir
    Path tmp;

    String topic;

    Map<String, String> env(String topic) {
        this.topic = topic;
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("NIDS_TOPIC", topic);
        env.put("NIDS_GROUP_ID", "s3-" + topic);
        env.put("NIDS_WORK_DIR", s3.uri("work/" + topic));
        env.put("NIDS_DUCKDB_PATH", tmp.resolve("hot.duckdb").toString());
        env.put("NIDS_COLD_URI", s3.uri("cold/" + topic));
        env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    /** Runs a step as on its own host: a temp folder of its own, which must be left empty of staged files. */
    StepRunner.Result run(String step, Map<String, String> env, String... args) throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host-" + step));
        StepRunner.Result r = StepRunner.javaJar(step, List.of("-Djava.io.tmpdir=" + host), env, args);
        assertEquals(List.of(), filesBelow(host.resolve("gnn-nids/staging")), step + " left local copies behind");
        return r;
    }

    static List<Path> filesBelow(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** The manifest a step printed: an s3:// URI in the work directory's batches/ prefix. */
    String ok(StepRunner.Result r, String step) throws Exception {
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(1, r.out().strip().lines().count(), "stdout carries only the manifest: " + r);
        String uri = r.address();
        assertTrue(uri.startsWith(s3.uri("work/" + topic + "/batches/")), uri);
        assertEquals(step, manifest(uri).step());
        return uri;
    }

    Manifest manifest(String uri) throws Exception {
        Path local = tmp.resolve("manifests").resolve(uri.substring("s3://".length()));
        try (ObjectStore store = s3.openStore("")) {
            store.get(uri.substring(s3.uri("").length()), local);
        }
        return Manifest.read(local);
    }

    /** The objects of the batches under the work directory: {@code <batch-id>/<file>}. */
    Set<String> stagedObjects() {
        try (ObjectStore store = s3.openStore("work/" + topic + "/batches")) {
            return new TreeSet<>(store.list(""));
        }
    }

    /** One batch through the four steps; returns commit-offsets' manifest, or null when nothing was left. */
    String oneBatch(Map<String, String> env, String... consumeArgs) throws Exception {
        StepRunner.Result consumed = run("consume-batch", env, consumeArgs);
        if (consumed.exitCode() == 99) return null;
        String m = ok(consumed, "consume-batch");
        m = ok(run("hot-write", env, "--manifest", m), "hot-write");
        m = ok(run("cold-write", env, "--manifest", m), "cold-write");
        return ok(run("commit-offsets", env, "--manifest", m), "commit-offsets");
    }

    List<String> drain(Map<String, String> env) throws Exception {
        List<String> committed = new ArrayList<>();
        for (String m = oneBatch(env); m != null; m = oneBatch(env)) {
            committed.add(m);
            assertTrue(committed.size() < 20, "the topic never drained");
        }
        return committed;
    }

    /** {rows, distinct uids} of every cold object of the topic, downloaded. */
    long[] coldCounts() throws Exception {
        Path local = tmp.resolve("cold-download-" + System.nanoTime());
        try (ObjectStore store = s3.openStore("cold/" + topic)) {
            for (String key : store.list("")) store.get(key, local.resolve(key));
        }
        return PipelineFixture.coldCounts(local);
    }

    void assertExactlyOnce(long flows, long records) throws Exception {
        long[] hot = PipelineFixture.hotCounts(tmp.resolve("hot.duckdb"));
        long[] cold = coldCounts();
        assertEquals(List.of(flows, flows, flows, flows), List.of(hot[0], hot[1], cold[0], cold[1]), "hot, cold");
        assertEquals(
                records,
                PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), topic, "s3-" + topic)));
    }

    @Test
    void batchesStagedInS3ReachEveryStepAndEveryFlowIsStoredOnce() throws Exception {
        Map<String, String> env = env("staged");
        // The same flows sent twice: the second batch finds them stored, and cold-write, on another host, leaves
        // them out by the duplicate list hot-write staged beside the batch.
        Path file = tmp.resolve("traffic.jsonl");
        assertEquals(
                0,
                run(
                                "replay",
                                env,
                                "generate",
                                "--flows",
                                "2000",
                                "--seed",
                                "41",
                                "--days",
                                "2",
                                "--out",
                                file.toString())
                        .exitCode());
        for (int i = 0; i < 2; i++)
            assertEquals(0, run("replay", env, "file", file.toString()).exitCode());
        env.put("NIDS_WORK_DIR", s3.uri("work/" + topic + "/")); // a trailing slash names the same prefix

        List<String> committed = new ArrayList<>();
        for (String m = oneBatch(env, "--max-records", "2500"); m != null; m = oneBatch(env, "--max-records", "2500")) {
            committed.add(m);
        }

        assertEquals(2, committed.size(), "4,000 records in batches of at most 2,500");
        assertExactlyOnce(2000, 4000);
        long excluded = 0;
        for (String m : committed) {
            Manifest commit = manifest(m);
            String id = commit.batch().id();
            String dir = s3.uri("work/staged/batches/" + id);
            assertEquals(dir, commit.batch().dir());
            assertEquals(dir + "/cold-write.json", commit.input());
            assertTrue(
                    stagedObjects()
                            .containsAll(Set.of(
                                    id + "/manifest.json",
                                    id + "/batch.parquet",
                                    id + "/duplicates.txt",
                                    id + "/hot-write.json",
                                    id + "/cold-write.json",
                                    id + "/commit-offsets.json")),
                    stagedObjects().toString());
            Manifest hot = manifest(dir + "/hot-write.json");
            assertEquals(dir + "/duplicates.txt", hot.outputs().get("duplicates"));
            excluded += manifest(dir + "/cold-write.json").count("excluded");
        }
        assertTrue(excluded > 0, "cold-write left out flows stored by the other batch, as listed by hot-write");
        String id = manifest(committed.get(0)).batch().id();

        // Once committed longer than --keep-staged, a batch's Parquet goes and its record stays.
        assertEquals(99, run("consume-batch", env, "--keep-staged", "0s").exitCode());
        Set<String> left = stagedObjects();
        assertTrue(left.stream().noneMatch(k -> k.endsWith("/batch.parquet")), left.toString());
        assertTrue(left.containsAll(Set.of(id + "/manifest.json", id + "/commit-offsets.json")), left.toString());
    }

    @Test
    void aBatchStagedInS3IsResumedAfterACrashUntilItIsCommitted() throws Exception {
        Map<String, String> env = env("resumed");
        assertEquals(
                0,
                run("replay", env, "generate", "--flows", "1500", "--seed", "42")
                        .exitCode());
        String consumed = ok(run("consume-batch", env), "consume-batch");
        // The run died here, and more traffic arrived before the next one.
        assertEquals(
                0,
                run("replay", env, "generate", "--flows", "500", "--seed", "43").exitCode());

        assertEquals(consumed, ok(run("consume-batch", env), "consume-batch"), "resumed, not read again");
        String hot = ok(run("hot-write", env, "--manifest", consumed), "hot-write");
        // Died again, after hot-write: the same batch once more, and hot-write adds nothing.
        assertEquals(consumed, ok(run("consume-batch", env), "consume-batch"));
        String hotAgain = ok(run("hot-write", env, "--manifest", consumed), "hot-write");
        assertEquals(hot, hotAgain);
        assertEquals(1500, manifest(hotAgain).count("inserted"));
        String cold = ok(run("cold-write", env, "--manifest", hotAgain), "cold-write");
        ok(run("commit-offsets", env, "--manifest", cold), "commit-offsets");

        List<String> rest = drain(env);
        assertEquals(1, rest.size(), "the 500 flows that came later make one more batch");
        assertFalse(rest.get(0).startsWith(consumed.replace("manifest.json", "")), rest.get(0));
        assertExactlyOnce(2000, 2000);
    }

    @Test
    void aStagedFileGoneFromS3SaysToConsumeAgainAndTheBatchIsReadAgain() throws Exception {
        Map<String, String> env = env("gone");
        assertEquals(
                0,
                run("replay", env, "generate", "--flows", "800", "--seed", "44").exitCode());
        String consumed = ok(run("consume-batch", env), "consume-batch");
        String id = manifest(consumed).batch().id();
        try (ObjectStore store = s3.openStore("work/gone/batches")) {
            store.delete(id + "/batch.parquet");
        }

        StepRunner.Result hot = run("hot-write", env, "--manifest", consumed);
        assertEquals(1, hot.exitCode(), hot.toString());
        assertEquals("", hot.out(), "a failed step prints no manifest");
        String last = hot.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(
                last.contains("staged file " + s3.uri("work/gone/batches/" + id + "/batch.parquet"))
                        && last.contains("is gone: run consume-batch again"),
                hot.toString());

        assertEquals(1, drain(env).size());
        assertExactlyOnce(800, 800);
    }

    @Test
    void aWorkDirOrManifestThatNamesNoUsableS3PlaceIsAOneLineUsageError() throws Exception {
        Map<String, String> env = env("bad");
        env.put("NIDS_WORK_DIR", "s3:///work");
        StepRunner.Result consume = run("consume-batch", env);
        assertEquals(2, consume.exitCode(), consume.toString());
        assertEquals(1, consume.err().strip().lines().count(), consume.toString());
        assertTrue(consume.err().contains("names no bucket: use s3://bucket/prefix"), consume.toString());

        String notABatch = s3.uri("work/bad/manifest.json");
        StepRunner.Result hot = run("hot-write", env, "--manifest", notABatch);
        assertEquals(2, hot.exitCode(), hot.toString());
        assertTrue(hot.err().contains("--manifest " + notABatch + " does not exist"), hot.toString());
    }
}
