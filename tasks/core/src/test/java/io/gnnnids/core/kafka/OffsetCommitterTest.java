package io.gnnnids.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gnnnids.core.batch.OffsetRange;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.kafka.OffsetCommitter.CommitOutcome;
import io.gnnnids.core.kafka.TestRecords.Collected;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OffsetCommitterTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void commitsTheEndOfEveryRange() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 2);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 40);
        Collected batch = TestRecords.consume(kafka.bootstrapServers(), topic, group, 1000, LONG);

        assertEquals(
                CommitOutcome.COMMITTED,
                OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, batch.offsets()));

        Map<Integer, Long> positions = BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group);
        batch.offsets().forEach(r -> assertEquals(r.end(), positions.get(r.partition())));
    }

    @Test
    void committingTheSameBatchAgainReportsItAsAlreadyCommitted() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 10);
        Collected batch = TestRecords.consume(kafka.bootstrapServers(), topic, group, 1000, LONG);
        OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, batch.offsets());

        assertEquals(
                CommitOutcome.ALREADY_COMMITTED,
                OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, batch.offsets()));
        assertEquals(Map.of(0, 10L), BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group));
    }

    @Test
    void refusesAStaleBatchOnceALaterOneWasCommitted() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 30);
        Collected stale = TestRecords.consume(kafka.bootstrapServers(), topic, group, 10, LONG);
        // The same batch is consumed again, committed, and the next one as well.
        OffsetCommitter.commit(
                kafka.bootstrapServers(),
                group,
                topic,
                TestRecords.consume(kafka.bootstrapServers(), topic, group, 10, LONG)
                        .offsets());
        OffsetCommitter.commit(
                kafka.bootstrapServers(),
                group,
                topic,
                TestRecords.consume(kafka.bootstrapServers(), topic, group, 10, LONG)
                        .offsets());

        StepFailure failure = assertThrows(
                StepFailure.class,
                () -> OffsetCommitter.commit(kafka.bootstrapServers(), group, topic, stale.offsets()));

        assertEquals(
                "group " + group + " has already moved past this batch on " + topic + "-0 (committed 20,"
                        + " batch starts at 0): another batch was committed after this one was consumed; discard this"
                        + " batch (its data is already stored idempotently) and run consume-batch again",
                failure.getMessage());
        assertEquals(Map.of(0, 20L), BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group));
    }

    @Test
    void refusesABatchThatStartsBeyondWhereTheGroupStands() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);
        String group = TestRecords.unique("g");
        TestRecords.produce(kafka.bootstrapServers(), topic, 0, 30);

        StepFailure failure = assertThrows(
                StepFailure.class,
                () -> OffsetCommitter.commit(
                        kafka.bootstrapServers(), group, topic, List.of(new OffsetRange(0, 10, 20))));

        assertEquals(Map.of(0, 0L), BatchConsumer.startPositions(kafka.bootstrapServers(), topic, group));
        assertEquals(
                true,
                failure.getMessage().startsWith("group " + group + " stands before this batch"),
                failure.getMessage());
    }

    @Test
    void anEmptyBatchHasNothingToCommit() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);

        assertEquals(
                CommitOutcome.ALREADY_COMMITTED,
                OffsetCommitter.commit(kafka.bootstrapServers(), TestRecords.unique("g"), topic, List.of()));
    }

    @Test
    void refusesARangeOnAPartitionTheTopicDoesNotHave() {
        String topic = TestRecords.createTopic(kafka.bootstrapServers(), 1);

        assertThrows(
                StepFailure.class,
                () -> OffsetCommitter.commit(
                        kafka.bootstrapServers(), TestRecords.unique("g"), topic, List.of(new OffsetRange(5, 0, 10))));
    }
}
