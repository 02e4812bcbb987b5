package io.gnnnids.core.kafka;

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
}
