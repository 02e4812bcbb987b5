package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import io.gnnnids.core.testing.S3ServerExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ETL with the cold store on S3 (a real S3 server on 127.0.0.1), run as java -jar processes. */
class S3ColdStorePipelineTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final S3ServerExtension s3 = new S3ServerExtension();

    @TempDir
    Path tmp;

    Map<String, String> env(String topic, String endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("NIDS_TOPIC", topic);
        env.put("NIDS_GROUP_ID", "s3-" + topic);
        env.put("NIDS_WORK_DIR", tmp.resolve("work").toString());
        env.put("NIDS_DUCKDB_PATH", tmp.resolve("hot.duckdb").toString());
        env.put("NIDS_COLD_URI", s3.uri("cold/" + topic));
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    static Path ok(StepRunner.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        return r.manifest();
    }

    /** Downloads every object under the prefix and counts {rows, distinct uids} with DuckDB. */
    long[] coldCounts(String prefix) throws Exception {
        Path local = tmp.resolve("download-" + System.nanoTime());
        try (ObjectStore store = s3.openStore(prefix)) {
            List<String> keys = store.list("");
            for (String key : keys) {
                Path dest = local.resolve(key);
                Files.createDirectories(dest.getParent());
                store.get(key, dest);
            }
        }
        return PipelineFixture.coldCounts(local);
    }

    @Test
    void writesDailyPartitionsToS3ExactlyOnce() throws Exception {
        Map<String, String> env = env("s3ok", s3.endpoint().toString());
        ok(StepRunner.javaJar("replay", env, "generate", "--flows", "4000", "--seed", "31", "--days", "2"));
        Path m = ok(StepRunner.javaJar("consume-batch", env));
        m = ok(StepRunner.javaJar("hot-write", env, "--manifest", m.toString()));
        Path coldManifest = ok(StepRunner.javaJar("cold-write", env, "--manifest", m.toString()));
        ok(StepRunner.javaJar("cold-write", env, "--manifest", m.toString()));
        ok(StepRunner.javaJar("commit-offsets", env, "--manifest", coldManifest.toString()));

        Manifest cold = Manifest.read(coldManifest);
        assertTrue(
                cold.count("objects") >= 2, "two days of traffic make at least two daily objects: " + cold.outputs());
        assertTrue(
                cold.outputs().values().stream()
                        .allMatch(u -> u.startsWith("s3://" + s3.bucket() + "/cold/s3ok/date=")),
                cold.outputs().toString());
        long[] counts = coldCounts("cold/s3ok");
        assertEquals(4000, counts[0]);
        assertEquals(4000, counts[1]);
        assertEquals(4000, PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), "s3ok", "s3-s3ok")));
    }

    @Test
    void unreachableS3FailsClearlyAndCommitsNothing() throws Exception {
        String closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
        Map<String, String> down = env("s3down", closed);
        ok(StepRunner.javaJar("replay", down, "generate", "--flows", "1500", "--seed", "32"));
        Path consumed = ok(StepRunner.javaJar("consume-batch", down));
        Path hot = ok(StepRunner.javaJar("hot-write", down, "--manifest", consumed.toString()));

        StepRunner.Result failed = StepRunner.javaJar("cold-write", down, "--manifest", hot.toString());
        assertEquals(1, failed.exitCode(), failed.toString());
        assertEquals("", failed.out(), "a failed step prints no manifest");
        String lastLine = failed.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(lastLine.contains("cannot reach S3") && lastLine.contains(closed), failed.toString());

        StepRunner.Result commit = StepRunner.javaJar("commit-offsets", down, "--manifest", hot.toString());
        assertEquals(2, commit.exitCode(), "commit-offsets needs cold-write's manifest: " + commit);
        assertEquals(Map.of(), PipelineFixture.committed(kafka.bootstrapServers(), "s3down", "s3-s3down"));

        // S3 back: the same batch is resumed and finishes, exactly once.
        Map<String, String> up = env("s3down", s3.endpoint().toString());
        Path again = ok(StepRunner.javaJar("consume-batch", up));
        assertEquals(consumed, again, "the staged batch is resumed, not re-read");
        Path hot2 = ok(StepRunner.javaJar("hot-write", up, "--manifest", again.toString()));
        Path cold = ok(StepRunner.javaJar("cold-write", up, "--manifest", hot2.toString()));
        ok(StepRunner.javaJar("commit-offsets", up, "--manifest", cold.toString()));
        assertEquals(1500, coldCounts("cold/s3down")[0]);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp.resolve("hot.duckdb"));
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM flows")) {
            rs.next();
            assertEquals(1500, rs.getLong(1));
        }
    }
}
