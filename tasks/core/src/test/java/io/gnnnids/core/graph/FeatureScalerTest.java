package io.gnnnids.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureScalerTest {

    @Test
    void standardisesTrainingColumnsStreamedInParts() {
        FeatureScaler.Accumulator acc = new FeatureScaler.Accumulator(2);
        acc.add(new float[] {1, 7, 2, 7});
        acc.add(new float[] {3, 7, 4, 7});
        FeatureScaler scaler = acc.fit();
        assertEquals(4, acc.rows());
        assertArrayEquals(new float[] {2.5f, 7f}, scaler.mean());
        // Population std of 1..4; a constant column is stored with std 0.
        assertArrayEquals(new float[] {(float) Math.sqrt(1.25), 0f}, scaler.std(), 1e-6f);
        float[] rows = {1, 7, 2, 7, 3, 7, 4, 7};
        scaler.apply(rows);
        double mean = (rows[0] + rows[2] + rows[4] + rows[6]) / 4;
        double var = (rows[0] * rows[0] + rows[2] * rows[2] + rows[4] * rows[4] + rows[6] * rows[6]) / 4 - mean * mean;
        assertEquals(0, mean, 1e-6);
        assertEquals(1, var, 1e-5);
        assertEquals(0, rows[1]);
    }

    @Test
    void aColumnThatNeverVariedInTrainingIsZeroWhateverItHolds() {
        FeatureScaler.Accumulator acc = new FeatureScaler.Accumulator(2);
        acc.add(new float[] {1, 0, 2, 0, 3, 0});
        FeatureScaler scaler = acc.fit();
        float[] unseen = {2, 1, 2, 7, 2, -3};
        scaler.apply(unseen);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, unseen);
        // A scaler saved before the rule (std 1 on such a column) still shifts it, as it did.
        float[] old = {5};
        new FeatureScaler(new float[] {0}, new float[] {1}).apply(old);
        assertArrayEquals(new float[] {5}, old);
    }

    @Test
    void clipsOutliersToTen() {
        FeatureScaler scaler = new FeatureScaler(new float[] {0}, new float[] {1});
        float[] rows = {25, -40, 3};
        scaler.apply(rows);
        assertArrayEquals(new float[] {10, -10, 3}, rows);
    }

    @Test
    void rejectsMismatchedRows() {
        FeatureScaler scaler = FeatureScaler.identity(3);
        assertThrows(IllegalArgumentException.class, () -> scaler.apply(new float[4]));
        // Std 0 marks a column that never varied; below 0 or NaN is no std at all.
        assertThrows(IllegalArgumentException.class, () -> new FeatureScaler(new float[] {0}, new float[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new FeatureScaler(new float[] {0}, new float[] {Float.NaN}));
    }
}
