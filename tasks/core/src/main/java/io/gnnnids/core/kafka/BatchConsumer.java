package io.gnnnids.core.kafka;

import io.gnnnids.core.batch.OffsetRange;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one batch from where a consumer group stands, without committing and without joining the group.
 *
 * <p>{@code assign()} instead of {@code subscribe()}: no rebalance wait, and the group's offsets stay
 * untouched until {@link OffsetCommitter} commits them from another process once the batch is stored.
 *
 * <p>Each returned {@link OffsetRange} runs from the partition's start position (the group's committed
 * offset, or the beginning of the partition) to the last handed offset + 1. The start is the position and
 * not the first record's offset, which can lie further on (transaction markers, compaction, retention):
 * {@link OffsetCommitter} recognises a batch as the next one to commit by comparing the group's committed
 * offset with the range start.
 */
public final class BatchConsumer {

    private static final Logger log = LoggerFactory.getLogger(BatchConsumer.class);
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);

    /** Receives every record of the batch, in offset order per partition. */
    @FunctionalInterface
    public interface RecordHandler {
        void accept(int partition, long offset, byte[] value) throws Exception;
    }

    /**
     * @param offsets    one range per partition that yielded records, by partition
     * @param records    records handed to the handler
     * @param stopReason {@code max-records}, {@code caught-up} (every partition reached the end it had when
     *                   the call started) or {@code timeout}
     */
    public record ConsumedBatch(List<OffsetRange> offsets, long records, String stopReason) {
        public static final String MAX_RECORDS = "max-records";
        public static final String CAUGHT_UP = "caught-up";
        public static final String TIMEOUT = "timeout";
    }

    private BatchConsumer() {}

    /**
     * Hands at most {@code maxRecords} records, starting at the group's committed offsets, to the handler and
     * stops as soon as every partition reached its end offset as of the start of the call, or at the
     * timeout. Nothing is committed.
     */
    public static ConsumedBatch consume(
            String bootstrap, String topic, String group, int maxRecords, Duration timeout, RecordHandler handler) {
        return consume(bootstrap, topic, group, PartitionGroup.ALL, maxRecords, timeout, handler);
    }

    /** As above, over the partitions of {@code partitionGroup} only. */
    public static ConsumedBatch consume(
            String bootstrap,
            String topic,
            String group,
            PartitionGroup partitionGroup,
            int maxRecords,
            Duration timeout,
            RecordHandler handler) {
        try (Reader reader = reader(bootstrap, topic, group, partitionGroup)) {
            return reader.consume(maxRecords, timeout, handler);
        }
    }

    /**
     * One consumer for both questions a batch step asks, where the group stands and what follows: a Kafka client
     * and its connections cost a short-lived step more than the requests themselves.
     */
    public static Reader reader(String bootstrap, String topic, String group, PartitionGroup partitionGroup) {
        return new Reader(open(bootstrap, group, fastFetch()), bootstrap, topic, partitionGroup);
    }

    /** A consumer of one group on one topic's partitions of a partition group, assigned, never joining the group. */
    public static final class Reader implements AutoCloseable {
        private final Consumer<byte[], byte[]> consumer;
        private final String bootstrap;
        private final String topic;
        private final PartitionGroup partitionGroup;
        /** Where the group stands, read once: a batch starts where the step found the group. */
        private Map<TopicPartition, Long> start;

        private Reader(Consumer<byte[], byte[]> consumer, String bootstrap, String topic, PartitionGroup group) {
            this.consumer = consumer;
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.partitionGroup = group;
        }

        /** Per partition, where the group would read next: its committed offset, else the partition's beginning. */
        public Map<Integer, Long> startPositions() {
            Map<Integer, Long> byPartition = new TreeMap<>();
            start().forEach((tp, offset) -> byPartition.put(tp.partition(), offset));
            return byPartition;
        }

        private Map<TopicPartition, Long> start() {
            if (start == null) start = BatchConsumer.startPositions(consumer, bootstrap, topic, partitionGroup);
            return start;
        }

        /**
         * See {@link BatchConsumer#consume(String, String, String, int, Duration, RecordHandler)}; from the start
         * positions this reader read first, so one batch per reader.
         */
        public ConsumedBatch consume(int maxRecords, Duration timeout, RecordHandler handler) {
            if (maxRecords < 0) {
                throw new IllegalArgumentException("maxRecords must not be negative: " + maxRecords);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, Long> start = start();
            Map<TopicPartition, Long> end = KafkaClients.call(
                    bootstrap,
                    "read the end offsets of topic '" + topic + "'",
                    () -> consumer.endOffsets(start.keySet()));
            List<TopicPartition> pending = start.keySet().stream()
                    .filter(tp -> start.get(tp) < end.get(tp))
                    .toList();
            consumer.assign(pending);
            pending.forEach(tp -> consumer.seek(tp, start.get(tp)));

            Map<TopicPartition, Long> lastHanded = new HashMap<>();
            long handed = 0;
            String stopReason = null;
            while (stopReason == null) {
                if (handed >= maxRecords) {
                    stopReason = ConsumedBatch.MAX_RECORDS;
                } else if (caughtUp(consumer, pending, end, bootstrap)) {
                    stopReason = ConsumedBatch.CAUGHT_UP;
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        stopReason = ConsumedBatch.TIMEOUT;
                        break;
                    }
                    ConsumerRecords<byte[], byte[]> records = KafkaClients.call(
                            bootstrap,
                            "read topic '" + topic + "'",
                            () -> consumer.poll(min(Duration.ofNanos(left), MAX_POLL_WAIT)));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (handed >= maxRecords) {
                            break;
                        }
                        handle(handler, r);
                        lastHanded.put(new TopicPartition(r.topic(), r.partition()), r.offset());
                        handed++;
                    }
                }
            }
            // A batch that ends exactly at the snapshot end is complete: report it as caught up.
            if (stopReason.equals(ConsumedBatch.MAX_RECORDS)
                    && pending.stream()
                            .allMatch(tp -> lastHanded.getOrDefault(tp, start.get(tp) - 1) + 1 >= end.get(tp))) {
                stopReason = ConsumedBatch.CAUGHT_UP;
            }
            List<OffsetRange> ranges = new ArrayList<>();
            lastHanded.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
                    .forEach(e -> ranges.add(
                            new OffsetRange(e.getKey().partition(), start.get(e.getKey()), e.getValue() + 1)));
            log.debug("consumed {} records of topic '{}' ({})", handed, topic, stopReason);
            return new ConsumedBatch(List.copyOf(ranges), handed, stopReason);
        }

        /**
         * Nothing to commit and no group to leave (assign mode), so no reason to wait for the fetch the consumer
         * sent ahead: the broker holds it up to fetch.max.wait.ms (500 ms) when the topic has nothing more, and a
         * graceful close waited for it at the end of every batch.
         */
        @Override
        public void close() {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    /** Per partition, where the group would read next: its committed offset, else the partition's beginning. */
    public static Map<Integer, Long> startPositions(String bootstrap, String topic, String group) {
        return startPositions(bootstrap, topic, group, PartitionGroup.ALL);
    }

    /** As above, for the partitions of {@code partitionGroup} only. */
    public static Map<Integer, Long> startPositions(
            String bootstrap, String topic, String group, PartitionGroup partitionGroup) {
        try (Reader reader = reader(bootstrap, topic, group, partitionGroup)) {
            return reader.startPositions();
        }
    }

    /** The group's lag on every partition of the topic, by partition: what the ETL has still to store. */
    public static List<PartitionLag> lag(String bootstrap, String topic, String group) {
        try (Consumer<byte[], byte[]> consumer = open(bootstrap, group, new Properties())) {
            Map<TopicPartition, Long> start = startPositions(consumer, bootstrap, topic);
            Map<TopicPartition, Long> end = KafkaClients.call(
                    bootstrap,
                    "read the end offsets of topic '" + topic + "'",
                    () -> consumer.endOffsets(start.keySet()));
            List<PartitionLag> lag = new ArrayList<>();
            start.forEach((tp, position) -> lag.add(new PartitionLag(tp.partition(), position, end.get(tp))));
            lag.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            return lag;
        }
    }

    static Map<TopicPartition, Long> startPositions(Consumer<?, ?> consumer, String bootstrap, String topic) {
        return startPositions(consumer, bootstrap, topic, PartitionGroup.ALL);
    }

    private static Map<TopicPartition, Long> startPositions(
            Consumer<?, ?> consumer, String bootstrap, String topic, PartitionGroup partitionGroup) {
        Set<TopicPartition> all = partitions(consumer, bootstrap, topic);
        Set<TopicPartition> mine = new HashSet<>();
        all.stream().filter(tp -> partitionGroup.contains(tp.partition())).forEach(mine::add);
        if (mine.isEmpty()) {
            throw new UsageError("partition group " + partitionGroup + " holds none of the " + all.size()
                    + " partition(s) of topic '" + topic + "': use at most " + all.size()
                    + " groups (NIDS_ETL_PARTITION_GROUPS) or give the topic more partitions");
        }
        return committedOrBeginning(consumer, bootstrap, mine);
    }

    /**
     * Where the group stands per partition: its committed offset, else the partition's beginning offset. The
     * beginning is asked only for partitions the group has not committed on: once it has, as on every run but the
     * first, that request is a round trip each short-lived step would pay for nothing.
     */
    static Map<TopicPartition, Long> committedOrBeginning(
            Consumer<?, ?> consumer, String bootstrap, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = KafkaClients.call(
                bootstrap, "read the group's committed offsets", () -> consumer.committed(partitions));
        Map<TopicPartition, Long> start = new HashMap<>();
        Set<TopicPartition> uncommitted = new HashSet<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) start.put(tp, c.offset());
            else uncommitted.add(tp);
        }
        if (!uncommitted.isEmpty()) {
            start.putAll(KafkaClients.call(
                    bootstrap, "read the beginning offsets", () -> consumer.beginningOffsets(uncommitted)));
        }
        return start;
    }

    static Set<TopicPartition> partitions(Consumer<?, ?> consumer, String bootstrap, String topic) {
        List<PartitionInfo> infos = KafkaClients.call(
                bootstrap, "read the partitions of topic '" + topic + "'", () -> consumer.partitionsFor(topic));
        if (infos == null || infos.isEmpty()) {
            throw new StepFailure(
                    "topic '" + topic + "' does not exist on " + bootstrap + ": create it or run replay first");
        }
        Set<TopicPartition> partitions = new HashSet<>();
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        return partitions;
    }

    static Consumer<byte[], byte[]> open(String bootstrap, String group, Properties overrides) {
        Properties p = KafkaClients.consumer(bootstrap, "consumer", group);
        p.putAll(overrides);
        return KafkaClients.call(bootstrap, "create a consumer", () -> new KafkaConsumer<>(p));
    }

    /** Local fetches return as soon as there is data, in large chunks. */
    private static Properties fastFetch() {
        Properties p = new Properties();
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        return p;
    }

    private static boolean caughtUp(
            Consumer<?, ?> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end, String bootstrap) {
        for (TopicPartition tp : partitions) {
            if (KafkaClients.call(bootstrap, "read the position on " + tp, () -> consumer.position(tp)) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private static void handle(RecordHandler handler, ConsumerRecord<byte[], byte[]> r) {
        try {
            handler.accept(r.partition(), r.offset(), r.value());
        } catch (RuntimeException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new StepFailure(
                    "handling record " + r.topic() + "-" + r.partition() + "@" + r.offset() + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
