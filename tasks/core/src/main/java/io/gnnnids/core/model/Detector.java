package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.EdgeGraph;
import io.gnnnids.core.graph.GraphBuilder;
import io.gnnnids.core.graph.GraphWindows;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A loaded model version that scores flows: it cuts them into the time windows the model was trained on, builds
 * each window's graph (with the context flows of that window around them) and returns the attack probability of
 * every flow. {@link #isAttack} applies the version's decision threshold.
 */
public final class Detector implements AutoCloseable {
    private final EGraphSage model;
    private final GraphBuilder builder;
    private final ModelBundle.Card card;
    private Explainer explainer; // made on first use: it copies the weights

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
     *
     * <p>Windows are scored several at a time, as one disjoint union of their graphs ({@link GraphBatch}), because
     * the engine's cost per operation outweighs the work of one small window. The graphs of the next union are built
     * on a second thread while the engine scores the current one.
     */
    public float[] score(List<Flow> context, List<Flow> toScore) {
        return score(context, toScore, false).scores();
    }

    /**
     * Scores and their explanations: for each flow of {@code toScore}, its attack probability and, when it is
     * flagged ({@link #isAttack}), why ({@link Explainer}) and what its source did in its window; null otherwise.
     */
    public record Scored(float[] scores, Explanation[] explanations) {}

    /** As {@link #score(List, List)}, with an explanation for every flagged flow. */
    public Scored scoreAndExplain(List<Flow> context, List<Flow> toScore) {
        return score(context, toScore, true);
    }

    private Scored score(List<Flow> context, List<Flow> toScore, boolean explain) {
        Map<Long, Window> byWindow = new TreeMap<>();
        for (int i = 0; i < toScore.size(); i++) {
            Flow f = toScore.get(i);
            byWindow.computeIfAbsent(windowOf(f), w -> new Window()).add(i, f);
        }
        for (Flow f : context) {
            Window w = byWindow.get(windowOf(f));
            if (w != null) w.context.add(f);
        }
        List<Window> graphs = new ArrayList<>();
        for (Window w : byWindow.values()) graphs.addAll(w.parts(GraphWindows.DEFAULT_MAX_EDGES));
        float[] scores = new float[toScore.size()];
        Explanation[] explanations = explain ? new Explanation[toScore.size()] : null;
        List<List<Window>> chunks = chunks(graphs);
        if (chunks.isEmpty()) return new Scored(scores, explanations);
        ExecutorService building = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "graph-build");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<GraphBatch> next = building.submit(() -> build(chunks.get(0)));
            for (int c = 0; c < chunks.size(); c++) {
                GraphBatch batch = await(next);
                if (c + 1 < chunks.size()) {
                    List<Window> following = chunks.get(c + 1);
                    next = building.submit(() -> build(following));
                }
                float[] s;
                Map<Integer, Explainer.Verdict> verdicts = Map.of();
                if (explain) {
                    Explainer.Pass pass = explainer().new Pass(batch.graph(), card.threshold());
                    EGraphSage.Activations a = model.scoreWithActivations(batch.graph(), pass::select);
                    s = a.scores();
                    verdicts = pass.explain(a);
                } else {
                    s = model.score(batch.graph());
                }
                List<Window> windows = chunks.get(c);
                for (int p = 0; p < windows.size(); p++) {
                    // Each window's graph lists its flows to score first, in the order given.
                    int offset = batch.edgeOffsets()[p];
                    Window w = windows.get(p);
                    Set<String> flaggedSources = new HashSet<>();
                    for (int j = 0; j < w.indices.size(); j++) {
                        scores[w.indices.get(j)] = s[offset + j];
                        if (verdicts.containsKey(offset + j))
                            flaggedSources.add(w.toScore.get(j).origH());
                    }
                    if (flaggedSources.isEmpty()) continue;
                    Map<String, Explanation.Neighbourhood> sources =
                            Explanation.Neighbourhood.of(flaggedSources, w.flows());
                    for (int j = 0; j < w.indices.size(); j++) {
                        Explainer.Verdict v = verdicts.get(offset + j);
                        if (v != null) {
                            explanations[w.indices.get(j)] = Explanation.of(
                                    v, sources.get(w.toScore.get(j).origH()));
                        }
                    }
                }
            }
        } finally {
            building.shutdownNow();
        }
        return new Scored(scores, explanations);
    }

    private Explainer explainer() {
        if (explainer == null) explainer = new Explainer(model, card.features(), card.familyHead());
        return explainer;
    }

    /** The flows of one window: those to score (with their positions in the caller's list) and the context. */
    private static final class Window {
        final List<Integer> indices = new ArrayList<>();
        final List<Flow> toScore = new ArrayList<>();
        final List<Flow> context = new ArrayList<>();

        void add(int index, Flow f) {
            indices.add(index);
            toScore.add(f);
        }

        int edges() {
            return toScore.size() + context.size();
        }

        /**
         * The window as training cuts it ({@link GraphWindows}): up to {@code maxEdges} flows it is one graph; beyond,
         * its flows in (ts, uid) order are cut into consecutive parts of {@code maxEdges}, and each part holding flows
         * to score is a graph of its own. The cut falls at the same flows whatever comes later in the window, so
         * {@link #contextStart} lets a caller read only the part a batch falls in.
         */
        List<Window> parts(int maxEdges) {
            if (edges() <= maxEdges) return List.of(this);
            List<Integer> order = new ArrayList<>(edges());
            for (int i = 0; i < edges(); i++) order.add(i);
            order.sort(Comparator.comparingDouble((Integer i) -> flow(i).ts()).thenComparing(i -> flow(i).uid()));
            List<Window> parts = new ArrayList<>();
            for (int from = 0; from < order.size(); from += maxEdges) {
                Window part = new Window();
                for (int i : order.subList(from, Math.min(order.size(), from + maxEdges))) {
                    if (i < toScore.size()) part.add(indices.get(i), toScore.get(i));
                    else part.context.add(context.get(i - toScore.size()));
                }
                if (!part.toScore.isEmpty()) parts.add(part);
            }
            return parts;
        }

        /** Every flow of the window part: those to score, then the context. */
        Iterable<Flow> flows() {
            return () -> java.util.stream.Stream.concat(toScore.stream(), context.stream())
                    .iterator();
        }

        /** The i-th flow: those to score first, then the context. */
        private Flow flow(int i) {
            return i < toScore.size() ? toScore.get(i) : context.get(i - toScore.size());
        }
    }

    /**
     * Where a caller's context for a window may start (in the window's flows in (ts, uid) order) when the earliest
     * flow to score in it has {@code rank} flows of the window before it: the first flow of its part. Flows of
     * earlier parts never share a graph with it.
     */
    public static long contextStart(long rank) {
        return rank - rank % GraphWindows.DEFAULT_MAX_EDGES;
    }

    /** Consecutive windows grouped up to {@link TrainingRun#SCORING_BATCH_EDGES} edges per forward pass. */
    private static List<List<Window>> chunks(List<Window> windows) {
        List<List<Window>> chunks = new ArrayList<>();
        List<Window> chunk = new ArrayList<>();
        long edges = 0;
        for (Window w : windows) {
            if (!chunk.isEmpty() && edges + w.edges() > TrainingRun.SCORING_BATCH_EDGES) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                edges = 0;
            }
            chunk.add(w);
            edges += w.edges();
        }
        if (!chunk.isEmpty()) chunks.add(chunk);
        return chunks;
    }

    private GraphBatch build(List<Window> windows) {
        List<EdgeGraph> graphs = new ArrayList<>(windows.size());
        for (Window w : windows) graphs.add(builder.build(w.context, w.toScore));
        return GraphBatch.of(graphs);
    }

    private static GraphBatch await(Future<GraphBatch> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building graphs", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
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

    /** The length of the model's windows, in seconds. */
    public long windowSeconds() {
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
