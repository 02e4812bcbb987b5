package io.gnnnids.core.kafka;

import io.gnnnids.core.error.StepFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A topic of alerts that is its own record of what was sent. Messages are keyed (by incident id) and written in one
 * Kafka transaction per run; reading the topic back with read_committed gives the last message of each key. A run
 * that dies before its transaction commits leaves nothing a reader sees, and the next run sends the same messages
 * again; one that dies after has them in the topic, and the next run, reading them back, does not send them twice.
 */
public final class AlertTopic {

    private static final Duration POLL = Duration.ofMillis(200);

    /** A message: its key and its JSON value. */
    public record Message(String key, String value) {}

    private AlertTopic() {}

    /** The last committed message of each key; empty when the topic does not exist yet. */
    public static Map<String, String> lastByKey(String bootstrap, String topic) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Consumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(KafkaClients.consumer(bootstrap, "alerts", null))) {
            var infos = KafkaClients.call(
                    bootstrap, "read the partitions of topic '" + topic + "'", () -> consumer.partitionsFor(topic));
            if (infos == null || infos.isEmpty()) return out;
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // The end offsets under read_committed: the last stable offset, past any open transaction.
            Map<TopicPartition, Long> end = KafkaClients.call(
                    bootstrap, "read the end of topic '" + topic + "'", () -> consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + KafkaClients.API_TIMEOUT.toNanos();
            while (!reached(consumer, end, Set.copyOf(partitions))) {
                if (System.nanoTime() > deadline) {
                    throw new StepFailure("cannot read topic '" + topic + "' on " + bootstrap + " to its end within "
                            + KafkaClients.API_TIMEOUT.toSeconds() + " s: check that Kafka is up");
                }
                for (ConsumerRecord<byte[], byte[]> r :
                        KafkaClients.call(bootstrap, "read topic '" + topic + "'", () -> consumer.poll(POLL))) {
                    if (r.key() != null && r.value() != null) {
                        out.put(
                                new String(r.key(), StandardCharsets.UTF_8),
                                new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    private static boolean reached(
            Consumer<?, ?> consumer, Map<TopicPartition, Long> end, Set<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) return false;
        }
        return true;
    }

    /**
     * Sends the messages in one transaction ({@code transactionalId}: one publisher per topic at a time, a newer
     * one fences an older one that is still running).
     */
    public static void publish(String bootstrap, String topic, String transactionalId, List<Message> messages) {
        if (messages.isEmpty()) return;
        Properties p = KafkaClients.producer(bootstrap, "alerts");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // One partition keeps alerts in order; compaction keeps each incident's last message past the retention, so
        // an old incident is never taken for unpublished.
        FlowProducer.ensureTopic(bootstrap, topic, 1, Map.of("cleanup.policy", "compact"));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        try {
            KafkaClients.call(bootstrap, "publish to topic '" + topic + "'", () -> {
                producer.initTransactions();
                producer.beginTransaction();
                for (Message m : messages) {
                    producer.send(new ProducerRecord<>(
                            topic,
                            m.key().getBytes(StandardCharsets.UTF_8),
                            m.value().getBytes(StandardCharsets.UTF_8)));
                }
                producer.commitTransaction();
                return null;
            });
        } finally {
            // Bounded: closing a producer whose transaction failed would otherwise wait for it without end.
            producer.close(KafkaClients.API_TIMEOUT);
        }
    }
}
