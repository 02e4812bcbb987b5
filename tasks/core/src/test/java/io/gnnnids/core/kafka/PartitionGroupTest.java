package io.gnnnids.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionGroupTest {

    @Test
    void theGroupsOfOneCountCoverEveryPartitionOnce() {
        for (int count = 1; count <= 5; count++) {
            for (int partition = 0; partition < 24; partition++) {
                int holders = 0;
                for (int index = 0; index < count; index++) {
                    if (new PartitionGroup(index, count).contains(partition)) holders++;
                }
                assertEquals(1, holders, "partition " + partition + " in " + count + " groups");
            }
        }
    }

    @Test
    void groupIOfNHoldsThePartitionsCongruentToI() {
        PartitionGroup g = PartitionGroup.parse("1/3");
        assertEquals(new PartitionGroup(1, 3), g);
        assertTrue(g.contains(1));
        assertTrue(g.contains(4));
        assertFalse(g.contains(3));
        assertEquals("1/3", g.toString());
        assertTrue(PartitionGroup.parse(" 0/1 ").isAll());
    }

    @Test
    void aSpecThatNamesNoGroupIsRefusedWithTheForm() {
        for (String bad : new String[] {"", "1", "3/3", "-1/2", "0/0", "a/b", "1/2/3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PartitionGroup.parse(bad));
            assertEquals(
                    "'" + bad + "' is not a group of partitions: use i/n with 0 <= i < n, such as 0/1 (every"
                            + " partition) or 1/4",
                    e.getMessage());
        }
    }
}
