package io.gnnnids.core.graph;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Per-column standardisation fitted on training data: {@code (x - mean) / std}, clipped to ±{@link #CLIP} so that
 * one extreme flow on an unseen network cannot dominate a layer.
 *
 * <p>A value is also held within the range its column took in training ({@code min}, {@code max}): beyond it the
 * network's ReLU layers extrapolate linearly from what they never saw, so a host busier, a flow longer or larger than
 * any in training would push a score as far as it lies out, not as far as it means anything. The same reason as for
 * the columns below, which are the case of a range of one value. (Models saved without a range keep ±{@link #CLIP}.)
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
    private final float[] min;
    private final float[] max;
    // What apply needs, derived once: 1 / std (0 for a column that never varied) and each column's scaled bounds.
    private final float[] inv;
    private final float[] lo;
    private final float[] hi;

    public FeatureScaler(float[] mean, float[] std) {
        this(mean, std, null, null);
    }

    /** {@code min} and {@code max}: the training range of each column, or both null for none (±{@link #CLIP}). */
    @JsonCreator
    public FeatureScaler(
            @JsonProperty("mean") float[] mean,
            @JsonProperty("std") float[] std,
            @JsonProperty("min") float[] min,
            @JsonProperty("max") float[] max) {
        if (mean == null || std == null || mean.length != std.length) {
            throw new IllegalArgumentException("scaler needs mean and std of the same length");
        }
        if ((min == null) != (max == null) || min != null && (min.length != mean.length || max.length != mean.length)) {
            throw new IllegalArgumentException("scaler needs min and max of every column, or neither");
        }
        for (float s : std) {
            if (!(s >= 0)) throw new IllegalArgumentException("scaler std must be positive or 0, got " + s);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.min = min == null ? null : min.clone();
        this.max = max == null ? null : max.clone();
        int dim = mean.length;
        inv = new float[dim];
        lo = new float[dim];
        hi = new float[dim];
        for (int c = 0; c < dim; c++) {
            inv[c] = std[c] == 0 ? 0 : 1f / std[c];
            lo[c] = min == null ? -CLIP : Math.max(-CLIP, (min[c] - mean[c]) * inv[c]);
            hi[c] = max == null ? CLIP : Math.min(CLIP, (max[c] - mean[c]) * inv[c]);
        }
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

    @JsonProperty("min")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public float[] min() {
        return min == null ? null : min.clone();
    }

    @JsonProperty("max")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public float[] max() {
        return max == null ? null : max.clone();
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
        for (int i = 0; i < rows.length; i += dim) {
            for (int c = 0; c < dim; c++) {
                if (inv[c] == 0) {
                    rows[i + c] = 0; // never varied in training (and not -0 for a value below the mean)
                    continue;
                }
                float v = (rows[i + c] - mean[c]) * inv[c];
                rows[i + c] = v > hi[c] ? hi[c] : v < lo[c] ? lo[c] : v;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureScaler s
                && Arrays.equals(mean, s.mean)
                && Arrays.equals(std, s.std)
                && Arrays.equals(min, s.min)
                && Arrays.equals(max, s.max);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(
                new int[] {Arrays.hashCode(mean), Arrays.hashCode(std), Arrays.hashCode(min), Arrays.hashCode(max)});
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
        private final float[] min;
        private final float[] max;
        private long rows;

        public Accumulator(int dim) {
            this.dim = dim;
            shift = new double[dim];
            sum = new double[dim];
            sumSq = new double[dim];
            min = new float[dim];
            max = new float[dim];
        }

        /** Adds row-major rows of width dim. */
        public void add(float[] data) {
            if (dim == 0) return;
            if (data.length % dim != 0)
                throw new IllegalArgumentException("rows are not a multiple of " + dim + " columns");
            if (data.length == 0) return;
            if (rows == 0) {
                for (int c = 0; c < dim; c++) shift[c] = min[c] = max[c] = data[c];
            }
            for (int i = 0; i < data.length; i += dim) {
                for (int c = 0; c < dim; c++) {
                    float x = data[i + c];
                    if (x < min[c]) min[c] = x;
                    if (x > max[c]) max[c] = x;
                    double v = x - shift[c];
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
            return rows == 0 ? new FeatureScaler(mean, std) : new FeatureScaler(mean, std, min, max);
        }
    }
}
