package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.graph.EdgeGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The model figures of {@code make bench}, printed as {@code bench.<name> <value> <unit>} lines: one training epoch
 * over 1,000,000 flows (20 windows of 50,000), scoring 200,000 flows, and resident memory over repeated scoring.
 * Graphs are random, sized like a busy window: 5,000 endpoints, 16 node and 60 edge features.
 */
@Tag("bench")
class ModelBenchmark {

    private static final int NODES = 5_000;
    private static final int EDGES = 50_000;
    private static final int NODE_DIM = 16;
    private static final int EDGE_DIM = 60;

    private static EdgeGraph graph(Random random) {
        float[] nodeFeatures = new float[NODES * NODE_DIM];
        float[] edgeFeatures = new float[EDGES * EDGE_DIM];
        for (int i = 0; i < nodeFeatures.length; i++) nodeFeatures[i] = (float) random.nextGaussian();
        for (int i = 0; i < edgeFeatures.length; i++) edgeFeatures[i] = (float) random.nextGaussian();
        int[] src = new int[EDGES];
        int[] dst = new int[EDGES];
        int[] labels = new int[EDGES];
        for (int i = 0; i < EDGES; i++) {
            src[i] = random.nextInt(NODES);
            dst[i] = random.nextInt(NODES / 10); // fewer responders than originators, as in real traffic
            labels[i] = edgeFeatures[i * EDGE_DIM] > 1 ? 1 : 0;
        }
        return new EdgeGraph(NODES, EDGES, nodeFeatures, NODE_DIM, edgeFeatures, EDGE_DIM, src, dst, labels, null);
    }

    private static void print(String name, double value, String unit) {
        System.out.printf("%s %s %s%n", name, value >= 100 ? String.valueOf(Math.round(value)) : String.format("%.2f", value), unit);
        System.out.flush();
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    @Test
    void trainingEpochAndScoring() throws IOException {
        Random random = new Random(1);
        List<EdgeGraph> train = new ArrayList<>();
        for (int i = 0; i < 20; i++) train.add(graph(random));
        List<EdgeGraph> validation = List.of(graph(random));
        List<EpochReport> epochs = new ArrayList<>();
        TrainResult result = new Trainer(epochs::add).train(train, validation,
                TrainConfig.defaults(1).withMaxEpochs(2));
        // the second epoch: the first one includes the engine's warm-up
        print("bench.model.epoch_1m_flows_s", epochs.get(epochs.size() - 1).seconds(), "s");

        try (EGraphSage model = result.model()) {
            List<EdgeGraph> batch = train.subList(0, 4);
            for (EdgeGraph g : batch) model.score(g);
            long start = System.nanoTime();
            int flows = 0;
            for (EdgeGraph g : batch) flows += model.score(g).length;
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(200_000, flows);
            print("bench.model.score_flows_per_s", flows / seconds, "flows/s");

            for (int i = 0; i < 20; i++) model.score(batch.get(i % 4));
            long before = residentKb();
            for (int i = 0; i < 200; i++) model.score(batch.get(i % 4));
            print("bench.model.rss_growth_200_scores_mb", (residentKb() - before) / 1024.0, "MB");
        }
    }
}
