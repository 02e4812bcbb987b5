package io.gnnnids.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.FeatureSpec;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.NodeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One training of a model version from labelled flow windows: fit the features on the training windows only,
 * train with early stopping on the validation windows, choose the decision threshold on validation by the
 * {@link OperatingPoint}, and measure the result on the test windows, which training never saw.
 */
public final class TrainingRun {

    /**
     * Windows of labelled flows for each role, oldest first within each. The validation windows come from one or
     * more sources (a deployment's own days, a baseline, each generated network), in order:
     * {@code validationSources} holds how many windows each has, and the operating point must hold on every one.
     */
    public record Split(
            List<List<Flow>> train,
            List<List<Flow>> validation,
            List<List<Flow>> test,
            List<Integer> validationSources) {
        public Split {
            validationSources = List.copyOf(validationSources);
            if (validationSources.stream().mapToInt(Integer::intValue).sum() != validation.size()) {
                throw new IllegalArgumentException("validation sources do not add up to the validation windows");
            }
        }

        /** A split whose validation windows are one source. */
        public Split(List<List<Flow>> train, List<List<Flow>> validation, List<List<Flow>> test) {
            this(train, validation, test, List.of(validation.size()));
        }

        public long flows(List<List<Flow>> windows) {
            return windows.stream().mapToLong(List::size).sum();
        }

        /** This split and another side by side: each part holds the windows of both, each keeps its sources. */
        public Split plus(Split other) {
            return new Split(
                    concat(train, other.train),
                    concat(validation, other.validation),
                    concat(test, other.test),
                    concat(validationSources, other.validationSources));
        }

        private static <T> List<T> concat(List<T> a, List<T> b) {
            List<T> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
    }

    /** What one epoch did, with the validation F1 at even odds ({@link OperatingPoint#EVEN_ODDS}), for logging. */
    public record Epoch(int epoch, double trainLoss, double validationLoss, double validationF1, double seconds) {}

    /**
     * @param spec           features fitted on the training windows (saved with the model)
     * @param threshold      decision threshold chosen on validation
     * @param validation     metrics on the validation windows at that threshold
     * @param test           metrics on the test windows at that threshold
     * @param familyHead     names the family of a flagged flow; null when the training attacks have fewer than two
     * @param familyAccuracy per family of the test attacks, how many the head names right (empty without a head)
     */
    public record Outcome(
            EGraphSage model,
            FeatureSpec spec,
            double threshold,
            Metrics validation,
            Metrics test,
            TrainResult result,
            FamilyHead familyHead,
            Map<String, FamilyHead.Accuracy> familyAccuracy) {
        /** A detector over this model with the graphs cut by {@code window}; closing it closes the model. */
        public Detector detector(Duration window) {
            return new Detector(model, card(window, null));
        }

        /** What model.json says of this outcome. */
        public ModelBundle.Card card(Duration window, JsonNode dataRange) {
            return new ModelBundle.Card(model.architecture(), spec, threshold, window, dataRange, familyHead);
        }

        /** The share of the test attacks whose family the head names right; NaN without a head or test attacks. */
        public double familyAccuracyOverall() {
            return FamilyHead.overall(familyAccuracy);
        }
    }

    /** Edges per forward pass when scoring many windows. */
    static final int SCORING_BATCH_EDGES = 65_536;

    private TrainingRun() {}

    /** Splits windows by time: the first {@code trainShare} for training, then validation, the rest for testing. */
    public static Split chronological(List<List<Flow>> windows, double trainShare, double validationShare) {
        long total = windows.stream().mapToLong(List::size).sum();
        List<List<Flow>> train = new ArrayList<>();
        List<List<Flow>> val = new ArrayList<>();
        List<List<Flow>> test = new ArrayList<>();
        long seen = 0;
        for (List<Flow> w : windows) {
            double position = (double) seen / Math.max(1, total);
            if (position < trainShare) train.add(w);
            else if (position < trainShare + validationShare) val.add(w);
            else test.add(w);
            seen += w.size();
        }
        return new Split(train, val, test);
    }

    public static Outcome run(
            Split split,
            TrainConfig config,
            NodeKey nodeKey,
            Duration window,
            OperatingPoint operatingPoint,
            Consumer<Epoch> onEpoch) {
        FeatureSpec spec = GraphBuilder.fit(split.train(), nodeKey, GraphBuilder.DEFAULT_TOP_SERVICES);
        GraphBuilder builder = new GraphBuilder(spec);
        List<EdgeGraph> train = graphs(builder, split.train());
        List<EdgeGraph> validation = graphs(builder, split.validation());
        int[] valLabels = labels(validation);

        Consumer<EpochReport> report = r -> {
            double f1 = Double.NaN;
            if (r.validationScores() != null && !r.validationScores().isEmpty()) {
                f1 = Metrics.of(concat(r.validationScores()), valLabels, null, OperatingPoint.EVEN_ODDS)
                        .f1();
            }
            onEpoch.accept(new Epoch(r.epoch(), r.trainLoss(), r.validationLoss(), f1, r.seconds()));
        };
        Trainer trainer = new Trainer(report, new BenignMix(spec, config.benignMix(), config.seed()));
        TrainResult result = trainer.train(train, validation, config);
        EGraphSage model = result.model();

        float[] valScores = scoreAll(model, validation);
        double threshold =
                operatingPoint.threshold(valScores, valLabels, sourceEdges(validation, split.validationSources()));
        Metrics validationMetrics = Metrics.of(valScores, valLabels, families(split.validation()), threshold);
        List<EdgeGraph> test = graphs(builder, split.test());
        String[] testFamilies = families(split.test());
        Metrics testMetrics = Metrics.of(scoreAll(model, test), labels(test), testFamilies, threshold);
        // The family head learns from the binary model's view of the training attacks, once that model is final.
        FamilyHead familyHead = FamilyHead.train(model, train, families(split.train()), config.seed());
        Map<String, FamilyHead.Accuracy> familyAccuracy =
                familyHead == null ? Map.of() : familyHead.accuracy(model, test, testFamilies);
        return new Outcome(model, spec, threshold, validationMetrics, testMetrics, result, familyHead, familyAccuracy);
    }

    /** How many edges each source's graphs hold, in order. */
    static int[] sourceEdges(List<EdgeGraph> graphs, List<Integer> windowsPerSource) {
        int[] edges = new int[windowsPerSource.size()];
        int graph = 0;
        for (int s = 0; s < edges.length; s++) {
            for (int w = 0; w < windowsPerSource.get(s); w++)
                edges[s] += graphs.get(graph++).edges();
        }
        return edges;
    }

    /** Metrics of a model on labelled windows at a threshold. */
    public static Metrics evaluate(EGraphSage model, GraphBuilder builder, List<List<Flow>> windows, double threshold) {
        List<EdgeGraph> graphs = graphs(builder, windows);
        return Metrics.of(scoreAll(model, graphs), labels(graphs), families(windows), threshold);
    }

    static List<EdgeGraph> graphs(GraphBuilder builder, List<List<Flow>> windows) {
        List<EdgeGraph> graphs = new ArrayList<>(windows.size());
        for (List<Flow> w : windows) graphs.add(builder.build(w));
        return graphs;
    }

    static float[] scoreAll(EGraphSage model, List<EdgeGraph> graphs) {
        return concat(model.score(graphs, SCORING_BATCH_EDGES));
    }

    static int[] labels(List<EdgeGraph> graphs) {
        int n = graphs.stream().mapToInt(EdgeGraph::edges).sum();
        int[] labels = new int[n];
        int at = 0;
        for (EdgeGraph g : graphs) {
            for (int i = 0; i < g.edges(); i++) labels[at++] = g.labels() == null ? -1 : g.labels()[i];
        }
        return labels;
    }

    static String[] families(List<List<Flow>> windows) {
        List<String> out = new ArrayList<>();
        for (List<Flow> w : windows) for (Flow f : w) out.add(f.detailedLabel());
        return out.toArray(String[]::new);
    }

    static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
