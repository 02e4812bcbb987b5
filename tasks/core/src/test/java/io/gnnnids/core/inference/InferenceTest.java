package io.gnnnids.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureSpec;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.core.model.Detector;
import io.gnnnids.core.model.EGraphSage;
import io.gnnnids.core.model.ModelBundle;
import io.gnnnids.core.store.HotBatches;
import io.gnnnids.core.store.HotPredictions;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.TestFlows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    /** Aligned to the 10-minute windows: flow i is at START + 60 i, so windows hold flows 0-9, 10-19, 20-29. */
    private static final double START = 1_700_000_400.0;

    @TempDir
    Path dir;

    private final List<Flow> flows = TestFlows.flows("C", 30, START, 60);

    private HotStore storeWithFlows() throws Exception {
        HotStore store = HotStore.open(dir.resolve("nids.duckdb"), Duration.ofSeconds(5));
        HotBatches.insert(store, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
        return store;
    }

    /** An untrained model: the scores mean nothing, but they are scores, and the threshold applies to them. */
    private Detector detector(double threshold) {
        FeatureSpec spec = GraphBuilder.fit(List.of(flows), NodeKey.IP, 12);
        EdgeGraph g = new GraphBuilder(spec).build(flows);
        EGraphSage.Architecture arch = new EGraphSage.Architecture(g.nodeDim(), g.edgeDim(), 16, 2, 0.2);
        return new Detector(EGraphSage.create(arch, 7), new ModelBundle.Card(arch, spec, threshold, WINDOW, null));
    }

    private static Set<String> uids(List<Flow> flows) {
        return flows.stream().map(Flow::uid).collect(Collectors.toSet());
    }

    @Test
    void theContextIsTheRestOfTheBatchsWindowsAndNothingElse() throws Exception {
        try (HotStore store = storeWithFlows();
                Detector detector = detector(0.5)) {
            // Flows 0-4 were scored by an earlier run: this batch is 5-14, in windows 0-9 and 10-19.
            HotPredictions.write(store, List.of("C0", "C1", "C2", "C3", "C4"), new float[5], 0.5, "1");
            List<Flow> batch = HotPredictions.unpredicted(store, 10);
            assertEquals("C5", batch.get(0).uid());

            List<Flow> context = Inference.context(store, detector, batch);

            assertEquals(
                    Set.of("C0", "C1", "C2", "C3", "C4", "C15", "C16", "C17", "C18", "C19"),
                    uids(context),
                    "the scored flows of the first window and the rest of the second, none of the third");
            assertEquals(10, context.size(), "each flow once");
        }
    }

    @Test
    void verdictsFlagAtTheThresholdExplainOnlyTheFlaggedAndAreStoredOnce() throws Exception {
        float[] plain;
        try (Detector probe = detector(0.5)) {
            plain = probe.score(flows);
        }
        float[] sorted = plain.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        try (HotStore store = storeWithFlows();
                Detector detector = detector(median)) {
            List<Flow> batch = HotPredictions.unpredicted(store, 30);

            Inference.Verdicts v = Inference.score(detector, Inference.context(store, detector, batch), batch);

            long flagged = 0;
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(batch.get(i).uid(), v.uids().get(i));
                boolean attack = v.scores()[i] >= median;
                if (attack) {
                    flagged++;
                    assertNotNull(v.explanations()[i], "a flagged flow says why");
                } else {
                    assertNull(v.explanations()[i], "only flagged flows are explained");
                    assertNull(v.families()[i]);
                }
            }
            assertTrue(flagged > 0 && flagged < batch.size(), "the median splits the batch: " + flagged);
            assertEquals(flagged, v.attacks());
            assertEquals(
                    flagged,
                    v.byLabel().values().stream().mapToLong(Long::longValue).sum());

            Inference.Stored first = Inference.store(store, v, median, "3", Duration.ofMinutes(15));
            assertEquals(batch.size(), first.updated());
            assertTrue(first.incidents().created() > 0, "flagged flows are grouped into incidents");
            assertEquals(flagged, first.incidents().flows());
            Inference.Stored again = Inference.store(store, v, median, "3", Duration.ofMinutes(15));
            assertEquals(0, again.updated(), "a flow's prediction is written once");
            assertTrue(HotPredictions.unpredicted(store, 30).isEmpty());
        }
    }
}
