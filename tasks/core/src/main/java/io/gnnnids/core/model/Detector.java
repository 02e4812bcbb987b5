package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.GraphBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loaded model version that scores flows: it cuts them into the time windows the model was trained on, builds
 * each window's graph (with the context flows of that window around them) and returns the attack probability of
 * every flow. {@link #isAttack} applies the version's decision threshold.
 */
public final class Detector implements AutoCloseable {
    private final EGraphSage model;
    private final GraphBuilder builder;
    private final ModelBundle.Card card;

    public Detector(EGraphSage model, ModelBundle.Card card) {
        this.model = model;
        this.card = card;
        this.builder = new GraphBuilder(card.features());
    }

    /** Loads the bundle in {@code dir}. */
    public static Detector load(Path dir) throws IOException {
        return new Detector(ModelBundle.loadModel(dir), ModelBundle.readCard(dir));
    }

    public ModelBundle.Card card() {
        return card;
    }

    public double threshold() {
        return card.threshold();
    }

    public boolean isAttack(float score) {
        return score >= card.threshold();
    }

    /** Scores every flow, with the flows themselves as the only context. */
    public float[] score(List<Flow> flows) {
        return score(List.of(), flows);
    }

    /**
     * Attack probability of each flow of {@code toScore}, in its order. {@code context} flows only shape the graphs
     * (flows already scored, or waiting beyond this batch); those outside the windows of {@code toScore} are ignored.
     */
    public float[] score(List<Flow> context, List<Flow> toScore) {
        Map<Long, List<Integer>> scoreByWindow = new TreeMap<>();
        for (int i = 0; i < toScore.size(); i++) {
            scoreByWindow.computeIfAbsent(windowOf(toScore.get(i)), w -> new ArrayList<>()).add(i);
        }
        Map<Long, List<Flow>> contextByWindow = new TreeMap<>();
        for (Flow f : context) {
            long w = windowOf(f);
            if (scoreByWindow.containsKey(w)) contextByWindow.computeIfAbsent(w, k -> new ArrayList<>()).add(f);
        }
        float[] scores = new float[toScore.size()];
        for (Map.Entry<Long, List<Integer>> e : scoreByWindow.entrySet()) {
            List<Integer> idx = e.getValue();
            List<Flow> batch = new ArrayList<>(idx.size());
            for (int i : idx) batch.add(toScore.get(i));
            EdgeGraph g = builder.build(contextByWindow.getOrDefault(e.getKey(), List.of()), batch);
            float[] s = model.score(g);
            // The graph lists the flows to score first, in the order given.
            for (int j = 0; j < idx.size(); j++) scores[idx.get(j)] = s[j];
        }
        return scores;
    }

    /** This version's metrics on labelled windows, at its own threshold (to compare versions on the same data). */
    public Metrics evaluate(List<List<Flow>> windows) {
        return TrainingRun.evaluate(model, builder, windows, card.threshold());
    }

    /** The window a flow falls in: windows are aligned to the epoch, as in training. */
    long windowOf(Flow f) {
        return (long) Math.floor(f.ts() / windowSeconds());
    }

    /** Where the window of {@code f} starts (epoch seconds). */
    public double windowStart(Flow f) {
        return windowOf(f) * (double) windowSeconds();
    }

    /** Where the window of {@code f} ends (epoch seconds, exclusive). */
    public double windowEnd(Flow f) {
        return (windowOf(f) + 1) * (double) windowSeconds();
    }

    private long windowSeconds() {
        return Math.max(1, card.window().toSeconds());
    }

    public Duration window() {
        return card.window();
    }

    @Override
    public void close() {
        model.close();
    }
}
