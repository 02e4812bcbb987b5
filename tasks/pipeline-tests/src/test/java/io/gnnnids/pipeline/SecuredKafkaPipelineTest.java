package io.gnnnids.pipeline;

import static io.gnnnids.pipeline.JarContractTest.lastLineManifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETL's jars against a broker that requires a SASL login: every Kafka client of every step takes its security
 * settings from the file NIDS_KAFKA_PROPERTIES names, and without it a step fails with a message, not a hang.
 */
class SecuredKafkaPipelineTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.withSasl();

    @TempDir
    Path tmp;

    private Map<String, String> env(Path properties) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("NIDS_TOPIC", "secured");
        env.put("NIDS_GROUP_ID", "secured-etl");
        env.put("NIDS_WORK_DIR", tmp.resolve("work").toString());
        env.put("NIDS_DUCKDB_PATH", tmp.resolve("hot.duckdb").toString());
        env.put("NIDS_COLD_URI", tmp.resolve("cold").toString());
        if (properties != null) env.put("NIDS_KAFKA_PROPERTIES", properties.toString());
        return env;
    }

    @Test
    void theStepsLogInWithThePropertiesFileAndOnlyWithIt() throws Exception {
        Path properties = tmp.resolve("client.properties");
        try (Writer out = Files.newBufferedWriter(properties)) {
            kafka.clientSecurity().store(out, "SASL/PLAIN, as a secured cluster asks");
        }
        Map<String, String> env = env(properties);

        StepRunner.Result replay = StepRunner.javaJar("replay", env, "generate", "--flows", "500", "--seed", "4");
        assertEquals(0, replay.exitCode(), replay.toString());
        Path m = lastLineManifest(StepRunner.javaJar("consume-batch", env), "consume-batch");
        assertEquals(500, Manifest.read(m).count("records"));
        m = lastLineManifest(StepRunner.javaJar("hot-write", env, "--manifest", m.toString()), "hot-write");
        m = lastLineManifest(StepRunner.javaJar("cold-write", env, "--manifest", m.toString()), "cold-write");
        lastLineManifest(StepRunner.javaJar("commit-offsets", env, "--manifest", m.toString()), "commit-offsets");
        PipelineFixture.assertExactlyOnce(500, tmp.resolve("hot.duckdb"), tmp.resolve("cold"));

        // Without the login the broker answers nothing: a failure worth a retry, named, within the client timeouts.
        Path quick = tmp.resolve("plaintext.properties");
        Files.writeString(quick, "default.api.timeout.ms=3000\nrequest.timeout.ms=3000\n");
        StepRunner.Result refused = StepRunner.javaJar("consume-batch", env(quick));
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains(kafka.bootstrapServers()), refused.toString());

        StepRunner.Result missing = StepRunner.javaJar("consume-batch", env(tmp.resolve("nowhere.properties")));
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("NIDS_KAFKA_PROPERTIES names"), missing.toString());
    }
}
