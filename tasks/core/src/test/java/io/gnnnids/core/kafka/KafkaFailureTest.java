package io.gnnnids.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.testing.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** What the steps report when Kafka is not there: a one-line failure in bounded time, never a hang. */
class KafkaFailureTest {

    /** Generous upper bound on the 30 s client timeouts: only a hanging client exceeds it. */
    private static final Duration NO_HANG = Duration.ofSeconds(90);

    @Test
    void consumingFromAnUnreachableBrokerFailsNamingTheBootstrapServers() throws IOException {
        String nobody = "127.0.0.1:" + portWithoutListener();

        StepFailure failure = assertTimeoutPreemptively(
                NO_HANG,
                () -> assertThrows(
                        StepFailure.class, () -> TestRecords.consume(nobody, "flows", "g", 10, Duration.ofSeconds(5))));

        assertTrue(failure.getMessage().startsWith("cannot reach Kafka at " + nobody), failure.getMessage());
        assertTrue(
                failure.getMessage().endsWith("check KAFKA_BOOTSTRAP_SERVERS and that Kafka is up"),
                failure.getMessage());
    }

    @Test
    void aProducerReportsRecordsItCouldNotDeliverAfterTheBrokerStopped() {
        KafkaBroker broker = KafkaBroker.start();
        String topic;
        FlowProducer producer;
        try {
            topic = TestRecords.createTopic(broker.bootstrapServers(), 1);
            producer = new FlowProducer(broker.bootstrapServers(), topic, Duration.ofSeconds(40));
            producer.send(null, TestRecords.value(0));
            producer.flush();
            assertEquals(1, producer.sent());
        } finally {
            broker.close();
        }

        StepFailure failure = assertTimeoutPreemptively(
                NO_HANG,
                () -> assertThrows(StepFailure.class, () -> {
                    try (FlowProducer stillOpen = producer) {
                        stillOpen.send(null, "flow-1".getBytes(StandardCharsets.UTF_8));
                        stillOpen.flush();
                    }
                }));

        assertTrue(failure.getMessage().contains(broker.bootstrapServers()), failure.getMessage());
        assertTrue(failure.getMessage().contains("topic '" + topic + "'"), failure.getMessage());
        assertEquals(1, producer.sent());
    }

    @Test
    void theProducerIsIdempotentAndWaitsForAllReplicas() {
        Properties p = FlowProducer.properties("127.0.0.1:1");

        assertEquals(true, p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", p.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("gnn-nids-producer", p.get(ProducerConfig.CLIENT_ID_CONFIG));
    }

    private static int portWithoutListener() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
