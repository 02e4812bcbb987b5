package io.gnnnids.core.graph;

import java.util.Arrays;

/**
 * Open-addressing map from non-negative long keys to ints: endpoint ids and distinct-pair counting without boxing.
 * Start it small and let it grow: a table sized for the distinct keys stays in cache, one sized for every edge
 * does not.
 */
final class LongIntMap {

    private static final long EMPTY = -1;

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        values = new int[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** The value stored under key; when absent, stores {@code value} and returns -1. */
    int putIfAbsent(long key, int value) {
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) grow();
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[keys.length];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k == EMPTY) continue;
            int i = slot(k);
            while (keys[i] != EMPTY) i = (i + 1) & mask;
            keys[i] = k;
            values[i] = oldValues[j];
        }
    }
}
