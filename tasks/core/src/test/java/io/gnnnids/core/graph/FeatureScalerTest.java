package io.gnnnids.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
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
    void holdsValuesWithinTheirTrainingRange() throws Exception {
        FeatureScaler.Accumulator acc = new FeatureScaler.Accumulator(1);
        acc.add(new float[] {1, 2, 3});
        FeatureScaler scaler = acc.fit();
        assertArrayEquals(new float[] {1}, scaler.min());
        assertArrayEquals(new float[] {3}, scaler.max());
        // Std of 1, 2, 3 is sqrt(2/3): 3 scales to 1.2247 and 1 to -1.2247; 2.5 lies inside and is scaled as usual.
        float edge = (float) (1 / Math.sqrt(2.0 / 3));
        float[] rows = {50, -50, 2.5f};
        scaler.apply(rows);
        assertArrayEquals(new float[] {edge, -edge, edge / 2}, rows, 1e-5f);

        ObjectMapper json = new ObjectMapper();
        FeatureScaler read = json.readValue(json.writeValueAsString(scaler), FeatureScaler.class);
        assertEquals(scaler, read);
        // A scaler saved before ranges were kept reads without one and clips at ±10, as it did.
        FeatureScaler old = json.readValue("{\"mean\":[0],\"std\":[1]}", FeatureScaler.class);
        assertNull(old.min());
        assertEquals("{\"mean\":[0.0],\"std\":[1.0]}", json.writeValueAsString(old));
        float[] far = {25};
        old.apply(far);
        assertArrayEquals(new float[] {10}, far);
        assertThrows(
                IllegalArgumentException.class,
                () -> new FeatureScaler(new float[] {0}, new float[] {1}, new float[] {0}, null));
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
