package io.gnnnids.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.batch.OffsetRange;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.kafka.TestRecords.Collected;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchConsumerTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration LONG = Duration.ofSeconds(60);

    private static List<String> values(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> "flow-" + i).toList();
    }

    @Test
    void readsFromTheBeginningWhenTheGroupHasNoCommittedOffsets() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 10);

        Collected got = TestRecords.consume(kafka.bootstrapServers(), topic, TestRecords.unique("g"), 100, LONG);

        assertEquals(values(0, 10), got.values());
        assertEquals(List.of(new OffsetRange(0, 0, 10)), got.offsets());
        assertEquals(10, got.batch.records());
        assertEquals("caught-up", got.batch.stopReason());
    }

    @Test
    void readsFromTheGroupsCommittedOffsets() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 10);
        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, List.of(new OffsetRange(0, 0, 4)));

        Collected got = TestRecords.consume(kafka.bootstrapServers(), topic, group, 100, LONG);

        assertEquals(values(4, 6), got.values());
        assertEquals(List.of(new OffsetRange(0, 4, 10)), got.offsets());
    }

    @Test
    void handsExactlyMaxRecordsAndEndsTheRangeAfterTheLastHandedRecord() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 1000);

        Collected got = TestRecords.consume(kafka.bootstrapServers(), topic, TestRecords.unique("g"), 250, LONG);

        assertEquals(values(0, 250), got.values());
        assertEquals(List.of(new OffsetRange(0, 0, 250)), got.offsets());
        assertEquals("max-records", got.batch.stopReason());
    }

    @Test
    void returnsAsSoonAsCaughtUpInsteadOfWaitingForTheTimeout() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 2);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 20);

        long began = System.nanoTime();
        Collected got = TestRecords.consume(kafka.bootstrapServers(), topic, TestRecords.unique("g"), 1000, LONG);
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertEquals("caught-up", got.batch.stopReason());
        assertEquals(20, got.batch.records());
        // Generous bound: only a stop condition that waits for the 60 s timeout would exceed it.
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
    }

    @Test
    void stopsAtTheTimeoutWhenRecordsRemain() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 10);

        Collected got =
                TestRecords.consume(kafka.bootstrapServers(), topic, TestRecords.unique("g"), 100, Duration.ZERO);

        assertEquals("timeout", got.batch.stopReason());
        assertEquals(0, got.batch.records());
        assertEquals(List.of(), got.offsets());
    }

    @Test
    void readsEveryPartitionAndReportsOneRangePerPartitionWithRecords() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 3);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 300);

        Collected got = TestRecords.consume(kafka.bootstrapServers(), topic, TestRecords.unique("g"), 1000, LONG);

        assertEquals(new HashSet<>(values(0, 300)), new HashSet<>(got.values()));
        assertEquals(300, got.batch.records());
        assertEquals(
                List.of(0, 1, 2),
                got.offsets().stream().map(OffsetRange::partition).toList());
        got.offsets().forEach(r -> assertEquals(0, r.start()));
        assertEquals(300, got.offsets().stream().mapToLong(OffsetRange::count).sum());
    }

    @Test
    void handsRecordsInOffsetOrderWithinEachPartition() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 3);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 300);

        Collected got = TestRecords.consume(kafka.bootstrapServers(), topic, TestRecords.unique("g"), 1000, LONG);

        for (int p = 0; p < 3; p++) {
            int partition = p;
            List<Long> offsets = got.records.stream()
                    .filter(r -> r.partition() == partition)
                    .map(TestRecords.Consumed::offset)
                    .toList();
            assertEquals(offsets.stream().sorted().toList(), offsets);
        }
    }

    @Test
    void returnsNothingWhenThereIsNothingNew() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 2);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 50);
        Collected first = TestRecords.consume(kafka.bootstrapServers(), topic, group, 1000, LONG);
        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, first.offsets());

        Collected again = TestRecords.consume(kafka.bootstrapServers(), topic, group, 1000, LONG);

        assertEquals(0, again.batch.records());
        assertEquals(List.of(), again.offsets());
        assertEquals("caught-up", again.batch.stopReason());
    }

    @Test
    void consumingAgainWithoutCommittingReadsTheSameBatch() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 30);

        Collected first = TestRecords.consume(kafka.bootstrapServers(), topic, group, 20, LONG);
        Collected second = TestRecords.consume(kafka.bootstrapServers(), topic, group, 20, LONG);

        assertEquals(first.values(), second.values());
        assertEquals(first.offsets(), second.offsets());
    }

    @Test
    void committingThenConsumingGivesTheNextRecords() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 30);

        Collected first = TestRecords.consume(kafka.bootstrapServers(), topic, group, 20, LONG);
        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, first.offsets());
        Collected second = TestRecords.consume(kafka.bootstrapServers(), topic, group, 20, LONG);

        assertEquals(values(0, 20), first.values());
        assertEquals(values(20, 10), second.values());
        assertEquals(List.of(new OffsetRange(0, 20, 30)), second.offsets());
        assertEquals("caught-up", second.batch.stopReason());
    }

    @Test
    void startPositionsAreTheCommittedOffsetOrTheBeginning() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 2);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 40);
        assertEquals(Map.of(0, 0L, 1, 0L), BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group));

        Collected batch = TestRecords.consume(kafka.bootstrapServers(), topic, group, 1000, LONG);
        // One partition committed and the other not: each from its own source.
        List<OffsetRange> first =
                batch.offsets().stream().filter(r -> r.partition() == 0).toList();
        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, first);
        assertEquals(
                Map.of(0, first.get(0).end(), 1, 0L),
                BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group));

        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, batch.offsets());
        Map<Integer, Long> expected = new java.util.TreeMap<>();
        batch.offsets().forEach(r -> expected.put(r.partition(), r.end()));
        assertEquals(expected, BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group));
    }

    @Test
    void partitionGroupsSplitTheTopicAndEachCommitsOnlyItsOwnPartitions() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 4);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 200);
        PartitionGroup even = PartitionGroup.parse("0/2");
        PartitionGroup odd = PartitionGroup.parse("1/2");

        Collected first = TestRecords.consume(kafka.bootstrapServers(), topic, group, even, 1000, LONG);
        Collected second = TestRecords.consume(kafka.bootstrapServers(), topic, group, odd, 1000, LONG);

        assertTrue(first.records.stream().allMatch(r -> r.partition() % 2 == 0), "group 0/2 read an odd partition");
        assertTrue(second.records.stream().allMatch(r -> r.partition() % 2 == 1), "group 1/2 read an even partition");
        java.util.Set<String> together = new HashSet<>(first.values());
        together.addAll(second.values());
        assertEquals(new HashSet<>(values(0, 200)), together);
        assertEquals(200, first.records.size() + second.records.size());

        // Committing one group's batch moves only its partitions: the other group still starts at the beginning.
        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, first.offsets());
        assertEquals(Map.of(1, 0L, 3, 0L), BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group, odd));
        assertEquals(
                0,
                TestRecords.consume(kafka.bootstrapServers(), topic, group, even, 1000, LONG)
                        .records
                        .size());
        assertEquals(
                second.values(),
                TestRecords.consume(kafka.bootstrapServers(), topic, group, odd, 1000, LONG)
                        .values());
    }

    @Test
    void aPartitionGroupWithoutPartitionsIsAUsageError() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 2);

        UsageError error = assertThrows(
                UsageError.class,
                () -> BatchConsumer.startPositions(
                        kafka.bootstrapServers(), topic, TestRecords.unique("g"), PartitionGroup.parse("2/3")));

        assertEquals(
                "partition group 2/3 holds none of the 2 partition(s) of topic '" + topic + "': use at most 2 groups"
                        + " (NIDS_ETL_PARTITION_GROUPS) or give the topic more partitions",
                error.getMessage());
    }

    @Test
    void rangesStartAtTheCommittedOffsetEvenWhenTheFirstRecordLiesBeyondIt() {
        // A committed transaction leaves a marker at the offset after its records, so the next record
        // of the partition is one further on than the committed end of a batch.
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("g");
        sendInTransaction(topic, 0, 5);
        sendInTransaction(topic, 5, 5);

        Collected first = TestRecords.consume(kafka.bootstrapServers(), topic, group, 5, LONG);
        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, first.offsets());
        Collected second = TestRecords.consume(kafka.bootstrapServers(), topic, group, 100, LONG);

        assertEquals(List.of(new OffsetRange(0, 0, 5)), first.offsets());
        assertEquals(6, second.records.get(0).offset());
        assertEquals(List.of(new OffsetRange(0, 5, 11)), second.offsets());
        assertEquals(values(5, 5), second.values());
        assertEquals(
                OffsetCommitter.CommitOutcome.COMMITTED,
                OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, second.offsets()));
    }

    @Test
    void failsWithAClearMessageWhenTheTopicDoesNotExist() {
        StepFailure failure = assertThrows(
                StepFailure.class,
                () -> TestRecords.consume(
                        kafka.bootstrapServers(), "no-such-topic", TestRecords.unique("g"), 10, LONG));

        assertEquals(
                "topic 'no-such-topic' does not exist on " + kafka.bootstrapServers()
                        + ": create it or run replay first",
                failure.getMessage());
        assertThrows(
                StepFailure.class,
                () -> BatchConsumer.startPositions(kafka.bootstrapServers(), "no-such-topic", TestRecords.unique("g")));
    }

    @Test
    void passesAFailingHandlersExceptionThrough() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 3);

        StepFailure failure = assertThrows(
                StepFailure.class,
                () -> BatchConsumer.consume(
                        kafka.bootstrapServers(), topic, TestRecords.unique("g"), 10, LONG, (p, o, v) -> {
                            throw new Exception("disk full");
                        }));
        assertTrue(failure.getMessage().contains("disk full"), failure.getMessage());
    }

    private static void sendInTransaction(String topic, int first, int count) {
        Properties p = KafkaClients.producer(kafka.bootstrapServers(), "test-tx");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestRecords.unique("tx"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = first; i < first + count; i++) {
                producer.send(new ProducerRecord<>(topic, null, ("flow-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.commitTransaction();
        }
    }
}
