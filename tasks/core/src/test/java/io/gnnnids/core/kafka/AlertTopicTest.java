package io.gnnnids.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AlertTopicTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void createsTheTopicAndReadsBackTheLastCommittedMessageOfEachKey() throws Exception {
        String topic = TestRecords.unique("alerts"); // the broker creates no topic by itself
        assertTrue(AlertTopic.lastByKey(kafka.bootstrapServers(), topic).isEmpty());
        AlertTopic.publish(
                kafka.bootstrapServers(),
                topic,
                "t-" + topic,
                List.of(new AlertTopic.Message("inc-a", "{\"v\":1}"), new AlertTopic.Message("inc-b", "{\"v\":1}")));
        AlertTopic.publish(
                kafka.bootstrapServers(), topic, "t-" + topic, List.of(new AlertTopic.Message("inc-a", "{\"v\":2}")));
        assertEquals(
                Map.of("inc-a", "{\"v\":2}", "inc-b", "{\"v\":1}"),
                AlertTopic.lastByKey(kafka.bootstrapServers(), topic));
        // Compacted: each incident's last message outlives the retention, so an old incident is not sent again.
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "test"))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertEquals(
                    "compact",
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get("cleanup.policy")
                            .value());
        }
    }

    @Test
    void aPublisherThatDiesBeforeCommittingLeavesNothingAReaderSees() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        Properties p = KafkaClients.producer(kafka.bootstrapServers(), "alerts");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t-" + topic);
        KafkaProducer<byte[], byte[]> dying = new KafkaProducer<>(p);
        dying.initTransactions();
        dying.beginTransaction();
        dying.send(new ProducerRecord<>(
                topic, "inc-a".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)));
        dying.flush(); // in the log, not committed: the process dies here
        assertTrue(AlertTopic.lastByKey(kafka.bootstrapServers(), topic).isEmpty());

        // The next run, with the same transactional id, fences the dead one (aborting its records) and sends again.
        AlertTopic.publish(
                kafka.bootstrapServers(), topic, "t-" + topic, List.of(new AlertTopic.Message("inc-a", "{}")));
        assertEquals(Map.of("inc-a", "{}"), AlertTopic.lastByKey(kafka.bootstrapServers(), topic));
        dying.close(java.time.Duration.ZERO);
    }
}
