package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureGroups;
import io.gnnnids.core.graph.FeatureSpec;
import io.gnnnids.core.graph.NodeKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenignMixTest {

    private static final FeatureSpec SPEC = FeatureSpec.unscaled(NodeKey.IP, List.of("dns", "http", "ssl"));
    private static final int DIM = SPEC.edgeFeatures().size();
    private static final int EDGES = 400;

    /**
     * Edge i's features are all i + 1 (distinct per edge, so a copied column names its donor); every third edge is an
     * attack, and edge 1 is benign context.
     */
    private static EdgeGraph graph() {
        float[] e = new float[EDGES * DIM];
        int[] labels = new int[EDGES];
        boolean[] scored = new boolean[EDGES];
        for (int i = 0; i < EDGES; i++) {
            java.util.Arrays.fill(e, i * DIM, (i + 1) * DIM, i + 1);
            labels[i] = i % 3 == 0 ? 1 : 0;
            scored[i] = i != 1;
        }
        return new EdgeGraph(
                2,
                EDGES,
                new float[2 * SPEC.nodeFeatures().size()],
                SPEC.nodeFeatures().size(),
                e,
                DIM,
                new int[EDGES],
                new int[EDGES],
                labels,
                scored);
    }

    /** The column sets of the four traits, as the explanation's groups make them up. */
    private static List<Set<Integer>> traits() {
        List<Set<Integer>> out = new ArrayList<>();
        java.util.Map<String, Set<Integer>> byTrait = new java.util.LinkedHashMap<>();
        for (FeatureGroups.Group g : FeatureGroups.of(SPEC)) {
            String trait = g.sourceNode() ? null : BenignMix.traitOf(g.name());
            if (trait == null) continue;
            for (int c : g.columns())
                byTrait.computeIfAbsent(trait, t -> new HashSet<>()).add(c);
        }
        out.addAll(byTrait.values());
        return out;
    }

    @Test
    void aMixedBenignFlowTakesExactlyOneTraitOfAnotherBenignFlow() {
        EdgeGraph g = graph();
        float[] before = g.edgeFeatures().clone();
        EdgeGraph mixed = new BenignMix(SPEC, 0.5, 7).apply(g);
        assertArrayEquals(before, g.edgeFeatures(), "the graph given is left as it was");
        assertSame(g.nodeFeatures(), mixed.nodeFeatures());
        List<Set<Integer>> traits = traits();
        assertEquals(4, traits.size());
        int changed = 0;
        for (int i = 0; i < EDGES; i++) {
            Set<Integer> columns = new HashSet<>();
            float donor = Float.NaN;
            for (int c = 0; c < DIM; c++) {
                float v = mixed.edgeFeatures()[i * DIM + c];
                if (v != i + 1) {
                    columns.add(c);
                    assertTrue(Float.isNaN(donor) || donor == v, "one donor per flow");
                    donor = v;
                }
            }
            if (columns.isEmpty()) continue;
            changed++;
            int d = (int) donor - 1;
            assertEquals(0, g.labels()[i], "only benign flows are mixed: edge " + i);
            assertTrue(g.scored()[i], "context flows are not mixed");
            assertEquals(0, g.labels()[d], "the donor is benign");
            assertTrue(g.scored()[d], "the donor is a scored flow");
            assertNotNull(
                    traits.stream().filter(t -> t.equals(columns)).findFirst().orElse(null),
                    "edge " + i + " changed columns " + columns + ", which are not one whole trait");
        }
        // About half of the 266 scored benign flows, less the few that drew themselves as donor.
        assertTrue(changed > 100 && changed < 160, "mixed " + changed);
    }

    @Test
    void theSameSeedMixesTheSameWayAndZeroLeavesTheGraphAlone() {
        assertArrayEquals(
                new BenignMix(SPEC, 0.3, 11).apply(graph()).edgeFeatures(),
                new BenignMix(SPEC, 0.3, 11).apply(graph()).edgeFeatures());
        EdgeGraph g = graph();
        assertSame(g, new BenignMix(SPEC, 0, 11).apply(g));
    }

    @Test
    void everyGroupOfTheFlowsOwnFeaturesButInsideOrOutsideIsInATrait() {
        for (FeatureGroups.Group g : FeatureGroups.of(SPEC)) {
            if (g.sourceNode()) continue;
            String trait = BenignMix.traitOf(g.name());
            if (g.name().equals("inside or outside the network")) assertEquals(null, trait);
            else assertNotNull(trait, "a group of the flow's own features in no trait: " + g.name());
        }
    }
}
