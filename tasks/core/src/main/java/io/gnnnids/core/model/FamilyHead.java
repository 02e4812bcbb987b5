package io.gnnnids.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gnnnids.core.graph.EdgeGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Names the likely attack family of a flagged flow (the labels' detailed names: DDoS, C&C,
 * PartOfAHorizontalPortScan, ...). A softmax regression, trained once the binary model is trained, on its training
 * attack flows, over the binary model's edge head activations (its own view of the flow, after the ReLU) beside the
 * flow's scaled features and its two endpoints': the head was trained to tell attacks from the rest, not one attack
 * from another, and the features say what kind of traffic it is (a flood and a scan both fan out, only one
 * repeats its port). It names, it does not decide: the binary verdict and its threshold stay the detector's.
 */
public final class FamilyHead {

    /** Training attack flows kept per family, at most: the common families do not drown the rare ones. */
    static final int SAMPLES_PER_FAMILY = 4_000;
    /** A family needs this many training flows to be learnt. */
    static final int MIN_SAMPLES = 10;

    private static final int EPOCHS = 30;
    private static final int BATCH = 256;
    private static final double LEARNING_RATE = 0.01;
    private static final double L2 = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> families;
    private final int dim;
    private final float[] weights; // families x dim, row-major: a family's weights in one run, for the dot product
    private final float[] bias;

    /** The family named and its probability. */
    public record Guess(String family, double probability) {}

    /** How many test attack flows of a family there were and how many were named right. */
    public record Accuracy(long count, long correct, double rate) {}

    FamilyHead(List<String> families, int dim, float[] weights, float[] bias) {
        if (families.isEmpty()) throw new IllegalArgumentException("a family head needs at least one family");
        if (weights.length != dim * families.size() || bias.length != families.size()) {
            throw new IllegalArgumentException("family head weights do not match its " + families.size() + " families");
        }
        this.families = List.copyOf(families);
        this.dim = dim;
        this.weights = weights;
        this.bias = bias;
    }

    public List<String> families() {
        return families;
    }

    /** How many inputs a head over {@code model}'s graphs takes: see {@link #input}. */
    static int inputDim(EGraphSage.Architecture a) {
        return a.hidden() + a.edgeDim() + 2 * a.nodeDim();
    }

    /**
     * The input for edge {@code e} of {@code g}: the edge head's activations ({@code head[offset..offset+hidden)},
     * before the ReLU, which is applied here), then the edge's features, its source's and its responder's.
     */
    static float[] input(float[] head, int offset, int hidden, EdgeGraph g, int e) {
        float[] x = new float[hidden + g.edgeDim() + 2 * g.nodeDim()];
        for (int j = 0; j < hidden; j++) x[j] = Math.max(0, head[offset + j]);
        System.arraycopy(g.edgeFeatures(), e * g.edgeDim(), x, hidden, g.edgeDim());
        System.arraycopy(g.nodeFeatures(), g.src()[e] * g.nodeDim(), x, hidden + g.edgeDim(), g.nodeDim());
        System.arraycopy(
                g.nodeFeatures(), g.dst()[e] * g.nodeDim(), x, hidden + g.edgeDim() + g.nodeDim(), g.nodeDim());
        return x;
    }

    /** The likeliest family for an {@link #input} ({@code x[offset..offset+dim)}). */
    public Guess predict(float[] x, int offset) {
        double[] p = probabilities(x, offset);
        int best = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
        return new Guess(families.get(best), p[best]);
    }

    private double[] probabilities(float[] x, int offset) {
        int k = families.size();
        double[] z = new double[k];
        for (int c = 0; c < k; c++) {
            float sum = 0;
            int row = c * dim;
            for (int i = 0; i < dim; i++) sum += x[offset + i] * weights[row + i];
            z[c] = bias[c] + sum;
        }
        double max = Arrays.stream(z).max().orElse(0);
        double sum = 0;
        for (int c = 0; c < k; c++) sum += z[c] = Math.exp(z[c] - max);
        for (int c = 0; c < k; c++) z[c] /= sum;
        return z;
    }

    /**
     * Trains a head on the attack flows of labelled graphs ({@code families} per edge, in the graphs' order), or
     * returns null when fewer than two families have {@link #MIN_SAMPLES} flows: there is nothing to tell apart.
     */
    static FamilyHead train(EGraphSage model, List<EdgeGraph> graphs, String[] families, long seed) {
        Map<String, Integer> counts = new TreeMap<>();
        forEachAttack(graphs, families, (edge, family) -> counts.merge(family, 1, Integer::sum));
        List<String> names = new ArrayList<>();
        counts.forEach((family, n) -> {
            if (n >= MIN_SAMPLES) names.add(family);
        });
        if (names.size() < 2) return null;
        Map<String, Integer> classOf = new HashMap<>();
        for (int c = 0; c < names.size(); c++) classOf.put(names.get(c), c);
        // Each family's flows kept with the same chance, so that at most SAMPLES_PER_FAMILY are expected.
        Random random = new Random(seed);
        boolean[] keep = new boolean[families.length];
        forEachAttack(graphs, families, (edge, family) -> {
            Integer c = classOf.get(family);
            keep[edge] = c != null && random.nextDouble() < (double) SAMPLES_PER_FAMILY / counts.get(family);
        });
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        inputs(model, graphs, keep, (edge, x) -> {
            rows.add(x);
            labels.add(classOf.get(families[edge]));
        });
        return fit(
                rows,
                labels.stream().mapToInt(Integer::intValue).toArray(),
                names,
                inputDim(model.architecture()),
                seed);
    }

    /** Per family of the graphs' attack flows, how many this head names right. */
    Map<String, Accuracy> accuracy(EGraphSage model, List<EdgeGraph> graphs, String[] families) {
        boolean[] keep = new boolean[families.length];
        forEachAttack(graphs, families, (edge, family) -> keep[edge] = true);
        Map<String, long[]> counts = new TreeMap<>();
        inputs(model, graphs, keep, (edge, x) -> {
            long[] c = counts.computeIfAbsent(families[edge], f -> new long[2]);
            c[0]++;
            if (predict(x, 0).family().equals(families[edge])) c[1]++;
        });
        Map<String, Accuracy> out = new TreeMap<>();
        counts.forEach((family, c) -> out.put(family, new Accuracy(c[0], c[1], (double) c[1] / c[0])));
        return out;
    }

    /** The share of all the graphs' attack flows named right. */
    static double overall(Map<String, Accuracy> accuracy) {
        long n = accuracy.values().stream().mapToLong(Accuracy::count).sum();
        long ok = accuracy.values().stream().mapToLong(Accuracy::correct).sum();
        return n == 0 ? Double.NaN : (double) ok / n;
    }

    private interface AttackVisitor {
        void visit(int edge, String family);
    }

    private interface InputVisitor {
        void visit(int edge, float[] input);
    }

    /** Every attack flow with a family, by its index over all the graphs' edges. */
    private static void forEachAttack(List<EdgeGraph> graphs, String[] families, AttackVisitor visitor) {
        int at = 0;
        for (EdgeGraph g : graphs) {
            for (int i = 0; i < g.edges(); i++, at++) {
                if (g.labels() != null && g.labels()[i] == 1 && families[at] != null) visitor.visit(at, families[at]);
            }
        }
    }

    /** The {@link #input} of each edge marked in {@code keep}, the graphs scored as unions. */
    private static void inputs(EGraphSage model, List<EdgeGraph> graphs, boolean[] keep, InputVisitor visitor) {
        int hidden = model.architecture().hidden();
        int first = 0;
        for (List<EdgeGraph> run : GraphBatch.group(graphs, TrainingRun.SCORING_BATCH_EDGES)) {
            GraphBatch batch = GraphBatch.of(run);
            int edges = batch.graph().edges();
            int start = first;
            int[] picked =
                    IntStream.range(0, edges).filter(i -> keep[start + i]).toArray();
            first += edges;
            if (picked.length == 0) continue;
            EdgeGraph g = batch.graph();
            float[] head = model.scoreWithActivations(g, s -> new EGraphSage.Selection(new int[0], picked))
                    .head();
            for (int r = 0; r < picked.length; r++)
                visitor.visit(start + picked[r], input(head, r * hidden, hidden, g, picked[r]));
        }
    }

    /** Softmax regression by Adam on mini-batches, the order drawn from the seed. */
    static FamilyHead fit(List<float[]> rows, int[] labels, List<String> names, int dim, long seed) {
        int k = names.size();
        int n = rows.size();
        float[] w = new float[dim * k];
        float[] b = new float[k];
        double[] mw = new double[w.length], vw = new double[w.length], mb = new double[k], vb = new double[k];
        double[] gw = new double[w.length], gb = new double[k];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random random = new Random(seed);
        FamilyHead head = new FamilyHead(names, dim, w, b);
        int step = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Collections.shuffle(Arrays.asList(order), random);
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(n, from + BATCH);
                Arrays.fill(gw, 0);
                Arrays.fill(gb, 0);
                for (int j = from; j < to; j++) {
                    float[] x = rows.get(order[j]);
                    double[] p = head.probabilities(x, 0);
                    p[labels[order[j]]] -= 1; // d(cross-entropy)/d(logits)
                    for (int c = 0; c < k; c++) {
                        gb[c] += p[c];
                        double pc = p[c];
                        int row = c * dim;
                        for (int i = 0; i < dim; i++) gw[row + i] += x[i] * pc;
                    }
                }
                step++;
                double scale = 1.0 / (to - from);
                adam(w, gw, mw, vw, scale, step);
                adam(b, gb, mb, vb, scale, step);
            }
        }
        return head;
    }

    private static void adam(float[] p, double[] g, double[] m, double[] v, double scale, int step) {
        double c1 = 1 - Math.pow(0.9, step), c2 = 1 - Math.pow(0.999, step);
        for (int i = 0; i < p.length; i++) {
            double grad = g[i] * scale + L2 * p[i];
            m[i] = 0.9 * m[i] + 0.1 * grad;
            v[i] = 0.999 * v[i] + 0.001 * grad * grad;
            p[i] -= (float) (LEARNING_RATE * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", "softmax regression on the edge head's activations");
        ArrayNode names = o.putArray("families");
        families.forEach(names::add);
        o.put("dim", dim);
        ArrayNode w = o.putArray("weights");
        for (float v : weights) w.add(v);
        ArrayNode bs = o.putArray("bias");
        for (float v : bias) bs.add(v);
        return o;
    }

    /** Reads what {@link #toJson} wrote; null for a missing node (a version trained before family heads). */
    public static FamilyHead fromJson(JsonNode o) {
        if (o == null || o.isNull() || o.isMissingNode()) return null;
        List<String> names = new ArrayList<>();
        o.path("families").forEach(n -> names.add(n.asText()));
        return new FamilyHead(names, o.path("dim").asInt(), floats(o.path("weights")), floats(o.path("bias")));
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }
}
