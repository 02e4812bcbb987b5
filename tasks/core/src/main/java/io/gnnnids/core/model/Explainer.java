package io.gnnnids.core.model;

import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureGroups;
import io.gnnnids.core.graph.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Why a flow was flagged: occlusion by feature group. Each group of the flow's own features, and each group of its
 * source's node features, is set to its training mean (0 once scaled), and the flow is scored again; the groups
 * whose removal lowers its attack log-odds most are its reasons.
 *
 * <p>Scoring again costs next to nothing because only what a group touches is recomputed, from the values the
 * scoring pass kept ({@link EGraphSage#scoreWithActivations}):
 * <ul>
 *   <li>a group of the flow's own features enters the edge head's term {@code e_uv W_edge}: that term changes, the
 *       endpoints' embeddings are held (the flow's share in their mean of incident flows is left out);</li>
 *   <li>a group of the source's features changes the source's first-layer input, hence the first layer at the source
 *       and at its neighbours (through their neighbour mean), hence the source's final embedding: recomputed
 *       exactly for a model of one or two layers. The responder's embedding is held: recomputing it for every
 *       flow of a scan would cost as much as scoring again. Deeper models are explained by the flow's groups only.</li>
 * </ul>
 * Ranking by log-odds, not probability: a flow scored 0.9999 loses little probability to any one group, but its
 * log-odds still say which group carried it.
 */
public final class Explainer {

    /** Reasons kept per flow. */
    public static final int REASONS = 3;

    private final int layers;
    private final int hidden;
    private final int nodeDim;
    private final int edgeDim;
    private final float[][] layerWeight;
    private final float[] headSrc;
    private final float[] headEdge;
    private final float[] difference;
    private final double differenceBias;
    private final List<FeatureGroups.Group> edgeGroups = new ArrayList<>();
    private final List<FeatureGroups.Group> sourceGroups = new ArrayList<>();
    private final FamilyHead families;

    /** A group and what removing it did: the log-odds lost and the score left. */
    public record Reason(String group, double logOddsDrop, double scoreWithout) {}

    /**
     * The model's side of an explanation: the reasons, strongest first, and the likely family (null without a head).
     */
    public record Verdict(List<Reason> reasons, FamilyHead.Guess family) {}

    Explainer(EGraphSage model, FeatureSpec spec, FamilyHead families) {
        EGraphSage.Architecture a = model.architecture();
        this.layers = a.layers();
        this.hidden = a.hidden();
        this.nodeDim = a.nodeDim();
        this.edgeDim = a.edgeDim();
        this.layerWeight = new float[layers][];
        for (int k = 0; k < layers; k++) layerWeight[k] = model.values("layer" + k + ".weight");
        this.headSrc = model.values("head.src.weight");
        this.headEdge = model.values("head.edge.weight");
        float[] out = model.values("out.weight");
        float[] outBias = model.values("out.bias");
        this.difference = new float[hidden];
        for (int j = 0; j < hidden; j++) difference[j] = out[2 * j + 1] - out[2 * j];
        this.differenceBias = outBias[1] - outBias[0];
        for (FeatureGroups.Group g : FeatureGroups.of(spec)) {
            if (!g.sourceNode()) edgeGroups.add(g);
            else if (layers <= 2) sourceGroups.add(g);
        }
        this.families = families;
    }

    /** One scored graph: pick what to keep from its scores, then explain its flagged edges. */
    final class Pass {
        private final EdgeGraph g;
        private final double threshold;
        private int[] degree;
        /** For each flagged edge's source: its neighbours and how many messages each exchanges with it. */
        private final Map<Integer, Map<Integer, Integer>> neighbours = new HashMap<>();

        Pass(EdgeGraph g, double threshold) {
            this.g = g;
            this.threshold = threshold;
        }

        /** The flagged edges, and the nodes whose first-layer values the source groups need. */
        EGraphSage.Selection select(float[] scores) {
            int[] flagged = IntStream.range(0, scores.length)
                    .filter(e -> scores[e] >= threshold && g.isScored(e))
                    .toArray();
            if (flagged.length == 0) return EGraphSage.Selection.NONE;
            if (sourceGroups.isEmpty()) return new EGraphSage.Selection(new int[0], flagged);
            boolean[] source = new boolean[g.nodes()];
            for (int e : flagged) {
                source[g.src()[e]] = true;
                neighbours.putIfAbsent(g.src()[e], new HashMap<>());
            }
            degree = new int[g.nodes()];
            for (int e = 0; e < g.edges(); e++) {
                int s = g.src()[e], d = g.dst()[e];
                degree[s]++;
                degree[d]++;
                // Every flow is a message each way (a self-loop brings two to its node).
                if (source[s]) neighbours.get(s).merge(d, 1, Integer::sum);
                if (source[d]) neighbours.get(d).merge(s, 1, Integer::sum);
            }
            TreeSet<Integer> nodes = new TreeSet<>();
            neighbours.forEach((s, ns) -> {
                nodes.add(s);
                nodes.addAll(ns.keySet());
            });
            return new EGraphSage.Selection(
                    nodes.stream().mapToInt(Integer::intValue).toArray(), flagged);
        }

        /**
         * A verdict for every flagged edge, by edge index in the graph. Each flagged edge's source is worked out once
         * (many flagged flows share one), then every edge: both on every core, since they only read the pass's
         * values (with a fifth of a large batch flagged, explaining was half of scoring on one core).
         */
        Map<Integer, Verdict> explain(EGraphSage.Activations a) {
            Map<Integer, Integer> rowOf = new HashMap<>();
            for (int r = 0; r < a.nodes().length; r++) rowOf.put(a.nodes()[r], r);
            Map<Integer, Map<String, float[]>> sourceShifts = new ConcurrentHashMap<>(); // source -> group -> shift
            IntStream.of(a.edges())
                    .map(e -> g.src()[e])
                    .distinct()
                    .parallel()
                    .forEach(s -> sourceShifts.put(s, sourceShifts(s, rowOf, a)));
            Verdict[] verdicts = new Verdict[a.edges().length];
            IntStream.range(0, verdicts.length).parallel().forEach(r -> verdicts[r] = verdict(a, r, sourceShifts));
            Map<Integer, Verdict> out = new LinkedHashMap<>();
            for (int r = 0; r < verdicts.length; r++) out.put(a.edges()[r], verdicts[r]);
            return out;
        }

        /** The verdict on the {@code r}-th flagged edge of {@code a}. */
        private Verdict verdict(EGraphSage.Activations a, int r, Map<Integer, Map<String, float[]>> sourceShifts) {
            int e = a.edges()[r];
            float[] z = Arrays.copyOfRange(a.head(), r * hidden, (r + 1) * hidden);
            double logOdds = logOdds(z, null);
            List<Reason> reasons = new ArrayList<>();
            for (FeatureGroups.Group group : edgeGroups) {
                float[] shift = edgeShift(e, group);
                if (shift != null) reasons.add(reason(group.name(), logOdds, logOdds(z, shift)));
            }
            for (Map.Entry<String, float[]> shift : sourceShifts.get(g.src()[e]).entrySet()) {
                reasons.add(reason(shift.getKey(), logOdds, logOdds(z, shift.getValue())));
            }
            reasons.sort(Comparator.comparingDouble(Reason::logOddsDrop).reversed());
            List<Reason> top = reasons.stream()
                    .filter(x -> x.logOddsDrop() > 0)
                    .limit(REASONS)
                    .toList();
            FamilyHead.Guess family =
                    families == null ? null : families.predict(FamilyHead.input(a.head(), r * hidden, hidden, g, e), 0);
            return new Verdict(top, family);
        }

        /** How each source group moves the source's term of the edge head, {@code Δh_src W_src}. */
        Map<String, float[]> sourceShifts(int s, Map<Integer, Integer> rowOf, EGraphSage.Activations a) {
            Map<String, float[]> out = new LinkedHashMap<>();
            Map<Integer, Integer> ns = neighbours.get(s);
            float[] first = layerWeight[0];
            for (FeatureGroups.Group group : sourceGroups) {
                float[] self = new float[hidden];
                float[] viaNeighbour = new float[hidden];
                boolean moved = false;
                for (int c : group.columns()) {
                    float delta = -g.nodeFeatures()[s * nodeDim + c];
                    if (delta == 0) continue;
                    moved = true;
                    axpy(delta, first, c * hidden, self);
                    axpy(delta, first, (nodeDim + c) * hidden, viaNeighbour);
                }
                if (!moved) continue;
                float[] change;
                if (layers == 1) {
                    float[] pre = self.clone();
                    axpy(ns.getOrDefault(s, 0) / (float) degree[s], viaNeighbour, 0, pre);
                    change = reluChange(a.layers()[0], rowOf.get(s), pre);
                } else {
                    // Layer 1 changes at the source (its own input) and at each neighbour (its neighbour mean).
                    Map<Integer, float[]> first1 = new HashMap<>();
                    for (Map.Entry<Integer, Integer> n : ns.entrySet()) {
                        int u = n.getKey();
                        float[] pre = u == s ? self.clone() : new float[hidden];
                        axpy(n.getValue() / (float) degree[u], viaNeighbour, 0, pre);
                        first1.put(u, reluChange(a.layers()[0], rowOf.get(u), pre));
                    }
                    float[] ownChange = first1.computeIfAbsent(s, u -> reluChange(a.layers()[0], rowOf.get(u), self));
                    float[] neighbourMean = new float[hidden];
                    for (Map.Entry<Integer, Integer> n : ns.entrySet()) {
                        axpy(n.getValue() / (float) degree[s], first1.get(n.getKey()), 0, neighbourMean);
                    }
                    float[] pre = new float[hidden];
                    float[] second = layerWeight[1];
                    for (int i = 0; i < hidden; i++) {
                        if (ownChange[i] != 0) axpy(ownChange[i], second, i * hidden, pre);
                        if (neighbourMean[i] != 0) axpy(neighbourMean[i], second, (hidden + i) * hidden, pre);
                    }
                    change = reluChange(a.layers()[1], rowOf.get(s), pre);
                }
                float[] shift = new float[hidden];
                for (int i = 0; i < hidden; i++) if (change[i] != 0) axpy(change[i], headSrc, i * hidden, shift);
                out.put(group.name(), shift);
            }
            return out;
        }

        /** How the edge's group at its mean moves the head, {@code Δe W_edge}; null when it is at the mean already. */
        private float[] edgeShift(int e, FeatureGroups.Group group) {
            float[] shift = null;
            for (int c : group.columns()) {
                float delta = -g.edgeFeatures()[e * edgeDim + c];
                if (delta == 0) continue;
                if (shift == null) shift = new float[hidden];
                axpy(delta, headEdge, c * hidden, shift);
            }
            return shift;
        }

        /** relu(pre + change) - relu(pre) for a node's row of a layer's pre-activations. */
        private float[] reluChange(float[] preActivations, int row, float[] change) {
            float[] out = new float[hidden];
            for (int j = 0; j < hidden; j++) {
                float pre = preActivations[row * hidden + j];
                out[j] = Math.max(0, pre + change[j]) - Math.max(0, pre);
            }
            return out;
        }
    }

    /** The attack log-odds from the edge head's pre-activations {@code z}, shifted by {@code shift} when given. */
    private double logOdds(float[] z, float[] shift) {
        double sum = differenceBias;
        for (int j = 0; j < hidden; j++) {
            float v = shift == null ? z[j] : z[j] + shift[j];
            if (v > 0) sum += v * difference[j];
        }
        return sum;
    }

    private static Reason reason(String group, double logOdds, double without) {
        return new Reason(group, logOdds - without, 1 / (1 + Math.exp(-without)));
    }

    /** y += alpha * x[offset .. offset + y.length) */
    private static void axpy(float alpha, float[] x, int offset, float[] y) {
        for (int j = 0; j < y.length; j++) y[j] += alpha * x[offset + j];
    }

    /** For tests: the score the kept head values give, which must be the pass's own. */
    double score(float[] head, int row) {
        return 1 / (1 + Math.exp(-logOdds(Arrays.copyOfRange(head, row * hidden, (row + 1) * hidden), null)));
    }
}
