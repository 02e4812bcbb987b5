package io.gnnnids.core.kafka;

import io.gnnnids.core.batch.OffsetRange;
import io.gnnnids.core.error.StepFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a stored batch's end offsets for the group, from a short-lived process that never joins the group
 * ({@code assign} + {@code commitSync}). Safe to re-run: a batch whose ends are already committed is
 * reported, not committed again. A batch the group has moved past, or that no longer starts where the group
 * stands, is refused, because committing it would move the group backwards or skip records.
 *
 * <p>The check and the commit are two calls; the ETL schedule runs one batch at a time per partition group,
 * and the groups hold disjoint partitions, so nothing commits for the batch's partitions in between.
 */
public final class OffsetCommitter {

    private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);

    public enum CommitOutcome {
        COMMITTED,
        ALREADY_COMMITTED
    }

    private OffsetCommitter() {}

    /**
     * Commits each range's end for {@code group}, provided the group's committed offset on every partition of
     * the batch is the range's start (or already its end). A partition without a committed offset counts as
     * standing at its beginning offset. An empty batch has nothing to commit: {@code ALREADY_COMMITTED}.
     */
    public static CommitOutcome commit(String bootstrap, String group, String topic, List<OffsetRange> ranges) {
        if (ranges.isEmpty()) {
            return CommitOutcome.ALREADY_COMMITTED;
        }
        Map<TopicPartition, OffsetRange> byPartition =
                ranges.stream().collect(Collectors.toMap(r -> new TopicPartition(topic, r.partition()), r -> r));
        try (Consumer<byte[], byte[]> consumer = BatchConsumer.open(bootstrap, group, new Properties())) {
            Set<TopicPartition> known = BatchConsumer.partitions(consumer, bootstrap, topic);
            for (TopicPartition tp : byPartition.keySet()) {
                if (!known.contains(tp)) {
                    throw new StepFailure(
                            "topic '" + topic + "' on " + bootstrap + " has no partition " + tp.partition()
                                    + ", which this batch covers: the batch belongs to another topic or cluster");
                }
            }
            Map<TopicPartition, Long> current =
                    BatchConsumer.committedOrBeginning(consumer, bootstrap, byPartition.keySet());

            boolean allAtEnd = true;
            for (Map.Entry<TopicPartition, OffsetRange> e : byPartition.entrySet()) {
                TopicPartition tp = e.getKey();
                OffsetRange range = e.getValue();
                long committed = current.get(tp);
                if (committed == range.end()) {
                    continue;
                }
                allAtEnd = false;
                if (committed > range.start()) {
                    throw new StepFailure("group " + group + " has already moved past this batch on " + tp
                            + " (committed " + committed + ", batch starts at " + range.start()
                            + "): another batch was committed after this one was consumed; discard this batch"
                            + " (its data is already stored idempotently) and run consume-batch again");
                }
                if (committed < range.start()) {
                    throw new StepFailure("group " + group + " stands before this batch on " + tp
                            + " (committed " + committed + ", batch starts at " + range.start()
                            + "): the group's offsets were reset after this batch was consumed; discard this batch"
                            + " and run consume-batch again");
                }
            }
            if (allAtEnd) {
                log.debug("offsets of this batch are already committed for group '{}' on topic '{}'", group, topic);
                return CommitOutcome.ALREADY_COMMITTED;
            }

            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            byPartition.forEach((tp, r) ->
                    ends.put(tp, new OffsetAndMetadata(r.end(), "gnn-nids batch " + r.start() + "-" + r.end())));
            KafkaClients.call(bootstrap, "commit offsets for group '" + group + "'", () -> {
                consumer.assign(ends.keySet());
                consumer.commitSync(ends, KafkaClients.API_TIMEOUT);
                return null;
            });
            log.debug("committed {} for group '{}'", ranges, group);
            return CommitOutcome.COMMITTED;
        }
    }
}
