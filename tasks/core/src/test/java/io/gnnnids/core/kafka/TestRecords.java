package io.gnnnids.core.kafka;

import io.gnnnids.core.batch.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Writes and reads small numbered records for the Kafka tests. */
public final class TestRecords {

    private static final AtomicInteger names = new AtomicInteger();

    private TestRecords() {}

    /** A topic (or group) name no other test of the run uses. */
    public static String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet() + "-" + System.nanoTime();
    }

    public static String createTopic(String bootstrap, int partitions) {
        String topic = unique("flows");
        FlowProducer.ensureTopic(bootstrap, topic, partitions);
        return topic;
    }

    /** Sends {@code count} records "flow-<first>"..., keyed by their number so they spread over partitions. */
    public static void produce(String bootstrap, String topic, int first, int count) {
        try (FlowProducer producer = new FlowProducer(bootstrap, topic)) {
            for (int i = first; i < first + count; i++) {
                producer.send(Integer.toString(i).getBytes(StandardCharsets.UTF_8), value(i));
            }
        }
    }

    static byte[] value(int i) {
        return ("flow-" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** One consumed record. */
    record Consumed(int partition, long offset, String value) {}

    /** Consumes a batch and keeps what the handler saw. */
    static final class Collected {
        final List<Consumed> records = new ArrayList<>();
        BatchConsumer.ConsumedBatch batch;

        List<String> values() {
            return records.stream().map(Consumed::value).toList();
        }

        List<OffsetRange> offsets() {
            return batch.offsets();
        }
    }

    static Collected consume(String bootstrap, String topic, String group, int maxRecords, Duration timeout) {
        return consume(bootstrap, topic, group, PartitionGroup.ALL, maxRecords, timeout);
    }

    static Collected consume(
            String bootstrap,
            String topic,
            String group,
            PartitionGroup partitionGroup,
            int maxRecords,
            Duration timeout) {
        Collected collected = new Collected();
        collected.batch = BatchConsumer.consume(
                bootstrap,
                topic,
                group,
                partitionGroup,
                maxRecords,
                timeout,
                (partition, offset, value) -> collected.records.add(
                        new Consumed(partition, offset, new String(value, StandardCharsets.UTF_8))));
        return collected;
    }
}
