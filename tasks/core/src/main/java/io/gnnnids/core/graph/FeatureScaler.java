package io.gnnnids.core.graph;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Per-column standardisation fitted on training data: {@code (x - mean) / std}, clipped to ±{@link #CLIP} so that
 * one extreme flow on an unseen network cannot dominate a layer.
 *
 * <p>A column that never varies in training (std below {@link #MIN_STD}, stored as std 0) is scaled to 0 whatever
 * its value. The network's weights on such a column get no gradient and keep their random start, so a value there
 * that training never showed (a Zeek state, history letter or unset field the generated networks lack, and a real
 * sensor records) would shift the flow's score by chance. A model knows nothing of such a column and must not use
 * it. (Models saved with std 1 for those columns, before this rule, keep scoring as they did.)
 */
public final class FeatureScaler {

    public static final float CLIP = 10f;
    public static final double MIN_STD = 1e-6;

    private final float[] mean;
    private final float[] std;

    @JsonCreator
    public FeatureScaler(@JsonProperty("mean") float[] mean, @JsonProperty("std") float[] std) {
        if (mean == null || std == null || mean.length != std.length) {
            throw new IllegalArgumentException("scaler needs mean and std of the same length");
        }
        for (float s : std) {
            if (!(s >= 0)) throw new IllegalArgumentException("scaler std must be positive or 0, got " + s);
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The identity scaler for {@code dim} columns. */
    public static FeatureScaler identity(int dim) {
        float[] ones = new float[dim];
        Arrays.fill(ones, 1f);
        return new FeatureScaler(new float[dim], ones);
    }

    @JsonProperty("mean")
    public float[] mean() {
        return mean.clone();
    }

    @JsonProperty("std")
    public float[] std() {
        return std.clone();
    }

    public int dim() {
        return mean.length;
    }

    /** Scales row-major {@code rows} of width {@link #dim()} in place. */
    public void apply(float[] rows) {
        int dim = mean.length;
        if (dim == 0) return;
        if (rows.length % dim != 0)
            throw new IllegalArgumentException("rows are not a multiple of " + dim + " columns");
        float[] inv = new float[dim];
        for (int c = 0; c < dim; c++) inv[c] = std[c] == 0 ? 0 : 1f / std[c];
        for (int i = 0; i < rows.length; i += dim) {
            for (int c = 0; c < dim; c++) {
                if (inv[c] == 0) {
                    rows[i + c] = 0; // never varied in training (and not -0 for a value below the mean)
                    continue;
                }
                float v = (rows[i + c] - mean[c]) * inv[c];
                rows[i + c] = v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureScaler s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    /**
     * Streams rows in and yields the fitted scaler. Sums are kept relative to the first row seen, which keeps the
     * variance accurate in double precision over millions of rows without Welford's per-value division.
     */
    public static final class Accumulator {
        private final int dim;
        private final double[] shift;
        private final double[] sum;
        private final double[] sumSq;
        private long rows;

        public Accumulator(int dim) {
            this.dim = dim;
            shift = new double[dim];
            sum = new double[dim];
            sumSq = new double[dim];
        }

        /** Adds row-major rows of width dim. */
        public void add(float[] data) {
            if (dim == 0) return;
            if (data.length % dim != 0)
                throw new IllegalArgumentException("rows are not a multiple of " + dim + " columns");
            if (data.length == 0) return;
            if (rows == 0) {
                for (int c = 0; c < dim; c++) shift[c] = data[c];
            }
            for (int i = 0; i < data.length; i += dim) {
                for (int c = 0; c < dim; c++) {
                    double v = data[i + c] - shift[c];
                    sum[c] += v;
                    sumSq[c] += v * v;
                }
            }
            rows += data.length / dim;
        }

        public long rows() {
            return rows;
        }

        public FeatureScaler fit() {
            float[] mean = new float[dim];
            float[] std = new float[dim];
            for (int c = 0; c < dim; c++) {
                double m = rows == 0 ? 0 : sum[c] / rows;
                double var = rows == 0 ? 0 : Math.max(0, sumSq[c] / rows - m * m);
                double s = Math.sqrt(var);
                mean[c] = (float) (m + shift[c]);
                std[c] = s < MIN_STD ? 0f : (float) s;
            }
            return new FeatureScaler(mean, std);
        }
    }
}
