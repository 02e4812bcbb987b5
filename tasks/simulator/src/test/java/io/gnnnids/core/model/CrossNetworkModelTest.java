package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureGroups;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.GraphWindows;
import io.gnnnids.core.graph.NodeKey;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.TrafficGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model is judged on a network it never saw: trained and validated on generated traffic of one seed (one
 * network), tested on traffic of another seed (another network, other addresses, devices, volumes and timing).
 */
class CrossNetworkModelTest {
    static final Duration WINDOW = GraphWindows.DEFAULT_WINDOW;
    static TrainingRun.Outcome outcome;
    static TrainingRun.Split split;

    static List<Flow> generate(long seed, long flows, int days, String start) {
        GeneratorOptions o =
                GeneratorOptions.withDefaults(flows, 150, days, Instant.parse(start), 0.1, seed, Clock.systemUTC());
        List<Flow> out = new ArrayList<>();
        new TrafficGenerator(o).forEachRemaining(out::add);
        return out;
    }

    static List<List<Flow>> windows(List<Flow> flows) {
        return GraphWindows.byWindow(flows.iterator(), WINDOW, GraphWindows.DEFAULT_MAX_EDGES);
    }

    @BeforeAll
    static void trainOnNetworkOneTestOnNetworkTwo() {
        List<List<Flow>> seen = windows(generate(1, 90_000, 2, "2026-03-02T00:00:00Z"));
        TrainingRun.Split byTime = TrainingRun.chronological(seen, 0.8, 0.2);
        List<List<Flow>> unseen = windows(generate(2, 40_000, 1, "2026-03-05T00:00:00Z"));
        split = new TrainingRun.Split(byTime.train(), byTime.validation(), unseen);
        outcome = TrainingRun.run(
                split,
                TrainConfig.defaults(7).withMaxEpochs(60),
                NodeKey.IP,
                WINDOW,
                OperatingPoint.targetFpr(OperatingPoint.DEFAULT_TARGET_FPR),
                e -> {});
        Metrics t = outcome.test();
        System.out.printf(
                "cross-network test (seed 1 -> seed 2): F1 %.4f precision %.4f detection rate %.4f FPR %.4f "
                        + "ROC-AUC %.4f threshold %.3f best epoch %d%n",
                t.f1(),
                t.precision(),
                t.recall(),
                t.falsePositiveRate(),
                t.rocAuc(),
                outcome.threshold(),
                outcome.result().bestEpoch());
        t.families()
                .forEach((f, r) ->
                        System.out.printf("  %-26s %5d flows, %5.1f%% detected%n", f, r.count(), 100 * r.rate()));
    }

    @AfterAll
    static void close() {
        if (outcome != null) outcome.model().close();
    }

    @Test
    void detectsAttacksOnANetworkItNeverTrainedOn() {
        assertTrue(outcome.test().f1() >= 0.95, "F1 on the unseen network: " + outcome.test());
    }

    @Test
    void familyHeadNamesTheFamilyOfAttacksOnTheUnseenNetwork() {
        assertNotNull(outcome.familyHead(), "the training attacks name several families");
        outcome.familyAccuracy()
                .forEach((f, a) -> System.out.printf(
                        "  family named right: %-26s %5d flows, %5.1f%%%n", f, a.count(), 100 * a.rate()));
        System.out.printf("  family named right overall: %.4f%n", outcome.familyAccuracyOverall());
        assertTrue(outcome.familyAccuracyOverall() >= 0.7, "family accuracy " + outcome.familyAccuracy());
    }

    @Test
    void everyFlaggedFlowIsExplainedAndExplainingChangesNoScore() {
        List<Flow> flows = new ArrayList<>();
        split.test().forEach(flows::addAll);
        Detector detector = new Detector(outcome.model(), outcome.card(WINDOW, null)); // the class closes the model
        Detector.Scored scored = detector.scoreAndExplain(List.of(), flows);
        assertArrayEquals(detector.score(flows), scored.scores());
        Map<String, Integer> firstReasons = new TreeMap<>();
        for (int i = 0; i < flows.size(); i++) {
            Explanation e = scored.explanations()[i];
            assertEquals(detector.isAttack(scored.scores()[i]), e != null, "explained exactly when flagged");
            if (e == null) continue;
            assertTrue(e.reasons().size() <= Explainer.REASONS && !e.reasons().isEmpty(), e.toString());
            assertNotNull(e.family());
            assertTrue(e.source().flows() >= 1 && e.source().peers() >= 1, e.toString());
            assertEquals(e, Explanation.fromJson(e.toJson()));
            firstReasons.merge(e.reasons().get(0).group(), 1, Integer::sum);
        }
        System.out.println("  first reasons of the flagged flows: " + firstReasons);
    }

    @Test
    void aFloodIsExplainedByItsSourcesFanOutAndUnansweredShareNotByItsTiming() {
        List<Flow> flood = new ArrayList<>();
        split.test()
                .forEach(w ->
                        w.stream().filter(f -> "DDoS".equals(f.detailedLabel())).forEach(flood::add));
        List<Flow> all = new ArrayList<>();
        split.test().forEach(all::addAll);
        Detector detector = new Detector(outcome.model(), outcome.card(WINDOW, null));
        Detector.Scored scored = detector.scoreAndExplain(List.of(), all);
        Map<String, Integer> reasons = new TreeMap<>();
        int explained = 0, bySource = 0, byTiming = 0, namedDdos = 0;
        for (int i = 0; i < all.size(); i++) {
            Explanation e = scored.explanations()[i];
            if (e == null || !"DDoS".equals(all.get(i).detailedLabel())) continue;
            explained++;
            List<String> groups =
                    e.reasons().stream().map(Explainer.Reason::group).toList();
            groups.forEach(g -> reasons.merge(g, 1, Integer::sum));
            if (groups.contains("source's fan-out") || groups.contains("source's unanswered and refused share"))
                bySource++;
            if (groups.get(0).equals("timing of the conversation")) byTiming++;
            if ("DDoS".equals(e.family())) namedDdos++;
        }
        System.out.printf(
                "  %d flood flows, %d flagged; reasons %s; named DDoS %d%n",
                flood.size(), explained, reasons, namedDdos);
        assertTrue(explained > 100, "the unseen network's flood is flagged: " + explained + " of " + flood.size());
        assertTrue(
                bySource >= 0.9 * explained,
                bySource + " of " + explained + " by the source's fan-out or unanswered share");
        assertEquals(0, byTiming, "no flood flow is flagged first for its timing");
    }

    @Test
    void sourceOcclusionMatchesAFullPassWithTheGroupAtItsMean() {
        // The window with the most attacks.
        List<Flow> window = split.test().stream()
                .max(java.util.Comparator.comparingLong(w ->
                        w.stream().filter(f -> Flow.MALICIOUS.equals(f.label())).count()))
                .orElseThrow();
        EdgeGraph g = new GraphBuilder(outcome.spec()).build(window);
        Explainer explainer = new Explainer(outcome.model(), outcome.spec(), outcome.familyHead());
        Explainer.Pass pass = explainer.new Pass(g, outcome.threshold());
        EGraphSage.Activations a = outcome.model().scoreWithActivations(g, pass::select);
        assertTrue(a.edges().length > 0, "the window holds flagged flows");
        int hidden = outcome.model().architecture().hidden();
        for (int r = 0; r < a.edges().length; r++) {
            assertEquals(
                    a.scores()[a.edges()[r]],
                    explainer.score(a.head(), r),
                    1e-5,
                    "the kept head values give the score");
        }
        Map<Integer, Integer> rowOf = new HashMap<>();
        for (int r = 0; r < a.nodes().length; r++) rowOf.put(a.nodes()[r], r);
        int source = g.src()[a.edges()[0]];
        Map<String, float[]> shifts = pass.sourceShifts(source, rowOf, a);
        float[] headSrc = outcome.model().values("head.src.weight");
        for (FeatureGroups.Group group : FeatureGroups.of(outcome.spec())) {
            if (!group.sourceNode() || !shifts.containsKey(group.name())) continue;
            float[] nodes = g.nodeFeatures().clone();
            for (int c : group.columns()) nodes[source * g.nodeDim() + c] = 0;
            EdgeGraph occluded = new EdgeGraph(
                    g.nodes(),
                    g.edges(),
                    nodes,
                    g.nodeDim(),
                    g.edgeFeatures(),
                    g.edgeDim(),
                    g.src(),
                    g.dst(),
                    g.labels(),
                    g.scored());
            float[] before = a.layers()[1];
            float[] after = outcome.model()
                    .scoreWithActivations(occluded, s -> new EGraphSage.Selection(new int[] {source}, new int[0]))
                    .layers()[1];
            int row = rowOf.get(source);
            for (int j = 0; j < hidden; j++) {
                double expected = 0;
                for (int i = 0; i < hidden; i++) {
                    expected +=
                            (Math.max(0, after[i]) - Math.max(0, before[row * hidden + i])) * headSrc[i * hidden + j];
                }
                assertEquals(expected, shifts.get(group.name())[j], 1e-4, group.name() + " at column " + j);
            }
        }
    }

    @Test
    void savedAndLoadedModelGivesIdenticalScores(@TempDir Path dir) throws Exception {
        ModelBundle.save(dir, outcome.model(), outcome.card(WINDOW, null));
        List<Flow> window = split.test().get(split.test().size() / 2);
        // The original detector wraps the shared model, which the class closes at the end.
        Detector original = new Detector(outcome.model(), ModelBundle.readCard(dir));
        try (Detector loaded = Detector.load(dir)) {
            assertArrayEquals(original.score(window), loaded.score(window));
            assertEquals(outcome.threshold(), loaded.threshold());
            assertEquals(
                    outcome.familyHead().families(), loaded.card().familyHead().families());
            assertEquals(
                    outcome.familyHead().toJson(), loaded.card().familyHead().toJson());
        }
    }

    @Test
    void baselineScreenLeavesOutWhatTheModelFlagsAndCountsTheRestBenign(@TempDir Path dir) throws Exception {
        // The unseen network's traffic as a baseline with its labels taken away: its attacks are "left in".
        List<Flow> truth = new ArrayList<>();
        split.test().subList(0, split.test().size() / 2).forEach(truth::addAll);
        List<Flow> unlabelled = truth.stream().map(f -> f.withLabel(null, null)).toList();
        ModelBundle.save(
                dir,
                outcome.model(),
                new ModelBundle.Card(
                        outcome.model().architecture(), outcome.spec(), outcome.threshold(), WINDOW, null));
        Detector screen = new Detector(outcome.model(), ModelBundle.readCard(dir));
        Baseline.Screened screened = Baseline.screen(unlabelled, screen);

        assertEquals(unlabelled.size(), screened.flows().size());
        double cut = Math.max(screen.threshold(), OperatingPoint.EVEN_ODDS);
        assertEquals(cut, screened.threshold(), 0);
        java.util.Set<String> leftOut = new java.util.HashSet<>();
        for (Baseline.Scored s : screened.leftOut()) {
            assertTrue(s.score() >= cut, "left out below the screen's cut: " + s);
            leftOut.add(s.flow().uid());
        }
        // The same flows in the same order score the same: exactly those at or above the cut were left out.
        float[] scores = screen.score(screened.flows());
        for (int i = 0; i < scores.length; i++) {
            Flow f = screened.flows().get(i);
            assertEquals(scores[i] >= cut, leftOut.contains(f.uid()), f.uid() + " scored " + scores[i]);
            assertEquals(leftOut.contains(f.uid()) ? null : Flow.BENIGN, f.label(), f.uid());
        }
        long attacks =
                truth.stream().filter(f -> Flow.MALICIOUS.equals(f.label())).count();
        long attacksLeftOut = truth.stream()
                .filter(f -> Flow.MALICIOUS.equals(f.label()) && leftOut.contains(f.uid()))
                .count();
        assertTrue(attacksLeftOut >= 0.9 * attacks, attacksLeftOut + " of " + attacks + " attacks left out");
        assertTrue(
                screened.benign() >= 0.95 * (truth.size() - attacks),
                "most benign flows stay benign: " + screened.benign());

        // With attacks generated onto the same hosts, split by time: every part has both classes.
        List<Flow> generatedAttacks = io.gnnnids.simulator.AttackOverlay.attacks(screened.flows(), 3, 3_000);
        TrainingRun.Split baselineSplit = Baseline.split(screened, generatedAttacks, WINDOW, 0.7, 0.15);
        assertEquals(
                unlabelled.size() + generatedAttacks.size(),
                baselineSplit.flows(baselineSplit.train())
                        + baselineSplit.flows(baselineSplit.validation())
                        + baselineSplit.flows(baselineSplit.test()));
        assertEquals(null, TrainingData.shortage(baselineSplit, 1_000));
    }

    @Test
    void aBusyWindowIsScoredInThePartsTrainingCutsItInto(@TempDir Path dir) throws Exception {
        // 230,000 flows in one 10-minute window, as a network of 400 flows/s sends: over the 200,000 edges of a graph.
        int max = GraphWindows.DEFAULT_MAX_EDGES;
        List<Flow> generated = new ArrayList<>();
        new TrafficGenerator(new GeneratorOptions(max + 30_000, 120, 1, Instant.parse("2026-03-02T00:00:00Z"), 0.1, 8))
                .forEachRemaining(generated::add);
        double first = generated.get(0).ts();
        double span = generated.get(generated.size() - 1).ts() - first + 1;
        List<Flow> busy = new ArrayList<>();
        for (Flow f : generated) busy.add(f.withTs(1_772_409_600 + 599 * (f.ts() - first) / span));
        ModelBundle.save(
                dir,
                outcome.model(),
                new ModelBundle.Card(
                        outcome.model().architecture(), outcome.spec(), outcome.threshold(), WINDOW, null));
        Detector detector = new Detector(outcome.model(), ModelBundle.readCard(dir));

        List<Flow> ordered = new ArrayList<>(busy);
        ordered.sort(java.util.Comparator.comparingDouble(Flow::ts).thenComparing(Flow::uid));
        List<Flow> firstPart = ordered.subList(0, max);
        List<Flow> secondPart = ordered.subList(max, ordered.size());
        float[] whole = detector.score(busy);
        java.util.Map<String, Float> byUid = new java.util.HashMap<>();
        for (int i = 0; i < busy.size(); i++) byUid.put(busy.get(i).uid(), whole[i]);
        // Each part is its own graph: scored alone, a part's flows score as in the whole window.
        for (List<Flow> part : List.of(firstPart, secondPart)) {
            float[] alone = detector.score(part);
            for (int i = 0; i < part.size(); i++) {
                assertEquals(
                        byUid.get(part.get(i).uid()),
                        alone[i],
                        1e-5,
                        part.get(i).uid());
            }
        }
        // Inference reads its context from the part its batch starts in: the last 1,000 flows, scored with the flows
        // from contextStart on as context, score as in the whole window.
        int batchStart = ordered.size() - 1_000;
        assertEquals(max, Detector.contextStart(batchStart));
        List<Flow> batch = ordered.subList(batchStart, ordered.size());
        float[] scored = detector.score(ordered.subList((int) Detector.contextStart(batchStart), batchStart), batch);
        // (The same graph with its edges in another order: equal up to the order of float sums.)
        for (int i = 0; i < batch.size(); i++)
            assertEquals(
                    byUid.get(batch.get(i).uid()), scored[i], 1e-5, batch.get(i).uid());
    }

    @Test
    void reportsWhatItDetectsOnRealIot23Captures(@TempDir Path dir) throws Exception {
        Path shared = Path.of(System.getProperty("nids.iot23.dir", "../../data/iot23"));
        ModelBundle.save(
                dir,
                outcome.model(),
                new ModelBundle.Card(
                        outcome.model().architecture(), outcome.spec(), outcome.threshold(), WINDOW, null));
        Detector detector = new Detector(outcome.model(), ModelBundle.readCard(dir));
        try (var files = Files.list(shared)) {
            for (Path csv :
                    files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                List<Flow> flows = new ArrayList<>();
                try (FlowFileReader r = FlowFileReader.open(csv, FlowFormat.AUTO)) {
                    r.forEachRemaining(i -> {
                        if (i.flow() != null) flows.add(i.flow());
                    });
                }
                flows.sort(java.util.Comparator.comparingDouble(Flow::ts));
                float[] scores = detector.score(flows);
                int[] labels = flows.stream()
                        .mapToInt(f -> Flow.MALICIOUS.equals(f.label()) ? 1 : 0)
                        .toArray();
                Metrics m = Metrics.of(
                        scores,
                        labels,
                        flows.stream().map(Flow::detailedLabel).toArray(String[]::new),
                        detector.threshold());
                System.out.printf(
                        "IoT-23 %s: %d flows, %d attacks; flagged %d; detection rate %.3f, false-positive rate %.3f%n",
                        csv.getFileName(),
                        flows.size(),
                        m.tp() + m.fn(),
                        m.tp() + m.fp(),
                        m.recall(),
                        m.falsePositiveRate());
                assertEquals(flows.size(), scores.length);
                for (float s : scores) assertTrue(s >= 0 && s <= 1);
            }
        }
    }
}
