package io.gnnnids.core.batch;

/**
 * The Kafka records of one partition a batch covers: offsets {@code start} (inclusive) to {@code end}
 * (exclusive). {@code end} is what commit-offsets commits: the next offset the group will read.
 */
public record OffsetRange(int partition, long start, long end) {
    public long count() {
        return end - start;
    }

    /** "p0:100-200" in logs. */
    @Override
    public String toString() {
        return "p" + partition + ":" + start + "-" + end;
    }
}
