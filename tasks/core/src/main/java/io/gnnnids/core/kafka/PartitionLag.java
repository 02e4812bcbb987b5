package io.gnnnids.core.kafka;

import java.util.List;

/**
 * Where a consumer group stands on one partition against where the partition ends.
 *
 * @param partition the partition
 * @param position  the group's committed offset, or the partition's beginning when it has none
 * @param end       the offset the next record will get
 */
public record PartitionLag(int partition, long position, long end) {

    /** Records written and not yet committed by the group. */
    public long lag() {
        return Math.max(0, end - position);
    }

    /** The lag over all partitions. */
    public static long total(List<PartitionLag> partitions) {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }
}
