package io.gnnnids.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaClientsTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.withSasl();

    @TempDir
    Path dir;

    private Path file(Properties p) throws Exception {
        Path file = dir.resolve("client.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, null);
        }
        return file;
    }

    @Test
    void theFileComesOverTheDefaultsButNotOverTheBootstrapServers() throws Exception {
        Properties extra = new Properties();
        extra.put("security.protocol", "SASL_SSL");
        extra.put("request.timeout.ms", "5000");
        extra.put("bootstrap.servers", "elsewhere:9092");
        Properties p = KafkaClients.base("127.0.0.1:9092", "test", file(extra));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("5000", p.get("request.timeout.ms"));
        assertEquals("127.0.0.1:9092", p.get("bootstrap.servers"), "one file serves every step's own bootstrap");
        assertEquals("gnn-nids-test", p.get("client.id"));
        assertFalse(KafkaClients.base("127.0.0.1:9092", "test", null).containsKey("security.protocol"));
    }

    /** No metrics to JMX, none pushed to the broker, unless the file asks for them. */
    @ParameterizedTest
    @CsvSource({"metric.reporters, '', org.apache.kafka.common.metrics.JmxReporter", "enable.metrics.push, false, true"
    })
    void noMetricsUnlessTheFileAsksForThem(String setting, String byDefault, String asked) throws Exception {
        assertEquals(
                byDefault, KafkaClients.base("127.0.0.1:9092", "test", null).get(setting));
        Properties extra = new Properties();
        extra.put(setting, asked);
        assertEquals(
                asked, KafkaClients.base("127.0.0.1:9092", "test", file(extra)).get(setting));
    }

    @Test
    void anUnreadableFileIsABadSettingThatSaysWhatToDo() {
        UsageError e = assertThrows(
                UsageError.class, () -> KafkaClients.base("127.0.0.1:9092", "test", dir.resolve("missing")));
        assertTrue(e.getMessage().startsWith("NIDS_KAFKA_PROPERTIES names " + dir.resolve("missing")), e.getMessage());
        assertTrue(e.getMessage().contains("unset it for a plaintext cluster"), e.getMessage());
    }

    @Test
    void aSecuredBrokerServesAClientGivenTheFileAndRefusesOneWithout() throws Exception {
        Path withLogin = file(kafka.clientSecurity());
        try (Admin admin = Admin.create(KafkaClients.base(kafka.bootstrapServers(), "test", withLogin))) {
            assertFalse(
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).isEmpty());
        }

        Properties quick = new Properties();
        quick.put("default.api.timeout.ms", "3000");
        quick.put("request.timeout.ms", "3000");
        try (Admin admin = Admin.create(KafkaClients.base(kafka.bootstrapServers(), "test", file(quick)))) {
            assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS),
                    "without the login the broker answers nothing");
        }
    }
}
