package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gnnnids.core.graph.EdgeGraph;
import org.junit.jupiter.api.Test;

class GraphArraysTest {

    // Node 3 has no edges; 0->1 occurs twice; 2->2 is a self-loop.
    private static final EdgeGraph TINY = new EdgeGraph(
            4,
            4,
            new float[] {1, 10, 100, 1000},
            1,
            new float[] {1, 2, 3, 4},
            1,
            new int[] {0, 0, 1, 2},
            new int[] {1, 1, 2, 2},
            new int[] {0, 1, 0, 1},
            null);

    @Test
    void averagesNeighbourFeaturesOverFlowsInBothDirections() {
        try (NDManager manager = Djl.init().newBaseManager()) {
            GraphArrays g = GraphArrays.of(manager, TINY);
            float[] mean = g.neighbourMean.matMul(g.nodes).toFloatArray();
            // node 0: two flows to node 1; node 1: twice from 0 and once from 2; node 2: once 1, twice itself
            assertArrayEquals(new float[] {10, 34, 70, 0}, mean, 1e-4f);
        }
    }

    @Test
    void averagesEdgeFeaturesOfEveryIncidentFlow() {
        try (NDManager manager = Djl.init().newBaseManager()) {
            GraphArrays g = GraphArrays.of(manager, TINY);
            float[] mean = g.edgeMessages.toFloatArray();
            assertArrayEquals(new float[] {1.5f, 2f, 11f / 3, 0}, mean, 1e-5f);
        }
    }

    @Test
    void mergesMultiEdgesIntoSortedUniqueEntries() {
        int[] degree = {2, 3, 3, 0};
        GraphArrays.Coo neighbours = GraphArrays.neighbourMean(TINY, degree);
        // rows then columns: (0,1) (1,0) (1,2) (2,1) (2,2)
        assertArrayEquals(new long[] {0, 1, 1, 2, 2, 1, 0, 2, 1, 2}, neighbours.indices());
        assertArrayEquals(new float[] {1f, 2f / 3, 1f / 3, 1f / 3, 2f / 3}, neighbours.values(), 1e-7f);
    }

    @Test
    void picksSourceAndDestinationTermsOfEveryEdge() {
        try (NDManager manager = Djl.init().newBaseManager()) {
            GraphArrays g = GraphArrays.of(manager, TINY);
            // rows 0-3: the nodes' terms as sources, rows 4-7: as destinations
            float[] terms = {1, 2, 3, 4, 10, 20, 30, 40};
            float[] picked =
                    g.endpoints.matMul(manager.create(terms, new Shape(8, 1))).toFloatArray();
            assertArrayEquals(new float[] {1 + 20, 1 + 20, 2 + 30, 3 + 30}, picked);
        }
    }

    @Test
    void scoringArraysGiveTheSameScoresAsTrainingArrays() {
        EdgeGraph g = TestGraphs.learnable(new java.util.Random(9), 40, 300);
        try (EGraphSage model = EGraphSage.create(
                        new EGraphSage.Architecture(TestGraphs.NODE_DIM, TestGraphs.EDGE_DIM, 16, 2, 0.2), 7);
                NDManager manager = Djl.init().newBaseManager()) {
            float[] gathered = model.attackProbability(model.edgeHidden(GraphArrays.forScoring(manager, g), false))
                    .toFloatArray();
            float[] multiplied = model.attackProbability(model.edgeHidden(GraphArrays.of(manager, g), false))
                    .toFloatArray();
            assertArrayEquals(multiplied, gathered);
        }
    }

    @Test
    void scoresGraphWithIsolatedNodeWithoutNaN() {
        try (EGraphSage model = EGraphSage.create(new EGraphSage.Architecture(1, 1, 8, 2, 0.2), 7)) {
            float[] scores = model.score(TINY);
            assertEquals(4, scores.length);
            for (float s : scores) assertTrue(s >= 0 && s <= 1, "score " + s);
        }
    }

    @Test
    void scoresEmptyGraphAsNoEdges() {
        EdgeGraph empty = new EdgeGraph(2, 0, new float[2], 1, new float[0], 1, new int[0], new int[0], null, null);
        try (EGraphSage model = EGraphSage.create(new EGraphSage.Architecture(1, 1, 8, 2, 0.2), 7)) {
            assertEquals(0, model.score(empty).length);
        }
    }
}
