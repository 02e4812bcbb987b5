package io.gnnnids.core.kafka;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The share of a topic's partitions one run of consume-batch reads: group {@code index} of {@code count} holds the
 * partitions whose number modulo {@code count} is {@code index}. Groups of one count are disjoint and together cover
 * every partition, so runs for each group go side by side without reading a record twice, and a topic that gains
 * partitions spreads them over the same groups. {@code 0/1} is the whole topic.
 */
public record PartitionGroup(int index, int count) {

    public static final PartitionGroup ALL = new PartitionGroup(0, 1);
    private static final Pattern SPEC = Pattern.compile("(\\d{1,4})/(\\d{1,4})");

    public PartitionGroup {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("partition group " + index + "/" + count + " is not one of 0/" + count
                    + " .. " + (count - 1) + "/" + count);
        }
    }

    /** {@code "i/n"}: group i of n, 0 <= i < n. */
    public static PartitionGroup parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.trim());
        if (m.matches()) {
            int index = Integer.parseInt(m.group(1));
            int count = Integer.parseInt(m.group(2));
            if (count >= 1 && index < count) return new PartitionGroup(index, count);
        }
        throw new IllegalArgumentException("'" + spec
                + "' is not a group of partitions: use i/n with 0 <= i < n, such as 0/1 (every partition) or 1/4");
    }

    public boolean contains(int partition) {
        return partition % count == index;
    }

    /** The whole topic: one group. */
    public boolean isAll() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
