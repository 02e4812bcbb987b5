package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gnnnids.core.graph.EdgeGraph;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphBatchTest {

    private static final EdgeGraph A = new EdgeGraph(
            2,
            2,
            new float[] {1, 2},
            1,
            new float[] {3, 4},
            1,
            new int[] {0, 1},
            new int[] {1, 1},
            new int[] {0, 1},
            null);
    private static final EdgeGraph B = new EdgeGraph(
            3, 1, new float[] {5, 6, 7}, 1, new float[] {8}, 1, new int[] {2}, new int[] {0}, null, new boolean[] {false
            });

    @Test
    void offsetsNodesOfEachPartPastThoseBeforeIt() {
        GraphBatch batch = GraphBatch.of(List.of(A, B));
        EdgeGraph u = batch.graph();
        assertEquals(5, u.nodes());
        assertEquals(3, u.edges());
        assertArrayEquals(new float[] {1, 2, 5, 6, 7}, u.nodeFeatures());
        assertArrayEquals(new float[] {3, 4, 8}, u.edgeFeatures());
        assertArrayEquals(new int[] {0, 1, 4}, u.src());
        assertArrayEquals(new int[] {1, 1, 2}, u.dst());
        // a part without labels is unknown, a part without a scored mask is scored everywhere
        assertArrayEquals(new int[] {0, 1, -1}, u.labels());
        assertArrayEquals(new boolean[] {true, true, false}, u.scored());
        assertArrayEquals(new int[] {0, 2, 3}, batch.edgeOffsets());
    }

    @Test
    void keepsLabelsAndMaskAbsentWhenNoPartHasThem() {
        EdgeGraph plain = new EdgeGraph(1, 1, new float[1], 1, new float[1], 1, new int[1], new int[1], null, null);
        EdgeGraph u = GraphBatch.of(List.of(plain, plain)).graph();
        assertNull(u.labels());
        assertNull(u.scored());
    }

    @Test
    void splitsPerEdgeValuesBackIntoParts() {
        GraphBatch batch = GraphBatch.of(List.of(A, B));
        List<float[]> parts = batch.split(new float[] {.1f, .2f, .3f});
        assertArrayEquals(new float[] {.1f, .2f}, parts.get(0));
        assertArrayEquals(new float[] {.3f}, parts.get(1));
    }

    @Test
    void groupsConsecutiveGraphsUpToTheEdgeLimit() {
        EdgeGraph big = TestGraphs.learnable(new Random(1), 5, 10);
        List<List<EdgeGraph>> runs = GraphBatch.group(List.of(A, B, A, big, B), 4);
        assertEquals(List.of(List.of(A, B), List.of(A), List.of(big), List.of(B)), runs);
    }

    @Test
    void batchedScoresEqualScoresOfEachGraphAlone() {
        Random random = new Random(4);
        List<EdgeGraph> graphs = List.of(
                TestGraphs.learnable(random, 30, 200),
                TestGraphs.learnable(random, 1, 0),
                TestGraphs.learnable(random, 50, 300),
                TestGraphs.learnable(random, 20, 100));
        try (EGraphSage model = EGraphSage.create(
                new EGraphSage.Architecture(TestGraphs.NODE_DIM, TestGraphs.EDGE_DIM, 32, 2, 0.2), 3)) {
            List<float[]> batched = model.score(graphs, 10_000);
            assertEquals(graphs.size(), batched.size());
            for (int i = 0; i < graphs.size(); i++)
                assertArrayEquals(model.score(graphs.get(i)), batched.get(i), 1e-6f);
        }
    }
}
