package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gnnnids.core.graph.EdgeGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EGraphSageTest {

    private static final EGraphSage.Architecture ARCHITECTURE =
            new EGraphSage.Architecture(TestGraphs.NODE_DIM, TestGraphs.EDGE_DIM, 128, 2, 0.2);

    @Test
    void loadedModelScoresExactlyAsSavedOne(@TempDir Path dir) throws IOException {
        EdgeGraph g = TestGraphs.learnable(new Random(1), 100, 1000);
        Path file = dir.resolve(EGraphSage.PARAMETERS_FILE);
        try (EGraphSage model = EGraphSage.create(ARCHITECTURE, 3)) {
            model.save(file);
            try (EGraphSage loaded = EGraphSage.load(file)) {
                assertEquals(ARCHITECTURE, loaded.architecture());
                assertArrayEquals(model.score(g), loaded.score(g));
            }
        }
    }

    @Test
    void refusesFileThatIsNotAModel(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("model.params"), "not a model");
        IOException e = assertThrows(IOException.class, () -> EGraphSage.load(file));
        assertEquals(true, e.getMessage().contains(file.toString()));
    }

    @Test
    void refusesGraphWithOtherFeatureDimensions() {
        EdgeGraph g = new EdgeGraph(1, 1, new float[1], 1, new float[1], 1, new int[1], new int[1], null, null);
        try (EGraphSage model = EGraphSage.create(ARCHITECTURE, 3)) {
            assertThrows(IllegalArgumentException.class, () -> model.score(g));
        }
    }

    @Test
    void repeatedScoringLeavesNoArraysBehind() {
        EdgeGraph g = TestGraphs.learnable(new Random(2), 200, 2000);
        try (EGraphSage model = EGraphSage.create(ARCHITECTURE, 3)) {
            int before = model.openArrays();
            float[] first = model.score(g);
            for (int i = 0; i < 200; i++) model.score(g);
            assertEquals(before, model.openArrays());
            assertArrayEquals(first, model.score(g));
        }
    }
}
