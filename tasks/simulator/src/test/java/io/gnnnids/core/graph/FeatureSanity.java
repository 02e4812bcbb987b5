package io.gnnnids.core.graph;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.model.Metrics;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.TrafficGenerator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Do the features carry across networks? Fits the spec on one generated network, trains a plain logistic
 * regression on [node(src) ; node(dst) ; edge] rows of that network, picks the threshold on a second network
 * and reports detection on a third and on the IoT-23 sample. Run by hand:
 * {@code java -cp ... io.gnnnids.core.graph.FeatureSanity [flows] [iot23 dir] [IP|IP_PORT]}; options
 * {@code -DtrainSeeds=1,4,5} (train on several networks), {@code -Dwindow=PT10M}, {@code -Dexplain=true} (what
 * pushes IoT-23 benign flows towards attack), {@code -Dfamily=C&C} (what holds that family's missed flows back).
 */
public final class FeatureSanity {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureSanity.class);
    private static final Duration WINDOW =
            Duration.parse(System.getProperty("window", GraphWindows.DEFAULT_WINDOW.toString()));
    private static final Instant START = Instant.parse("2024-05-01T00:00:00Z");

    private FeatureSanity() {}

    public static void main(String[] args) throws IOException {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path iot = Path.of(args.length > 1 ? args[1] : "data/iot23");
        NodeKey key = args.length > 2 ? NodeKey.valueOf(args[2]) : NodeKey.IP;

        List<List<Flow>> train = new ArrayList<>();
        for (String seed : System.getProperty("trainSeeds", "1").split(","))
            train.addAll(windows(flows, Long.parseLong(seed)));
        FeatureSpec spec = GraphBuilder.fit(train, key, 12);
        GraphBuilder builder = new GraphBuilder(spec);
        Rows trainRows = Rows.of(builder, train);
        LOG.info("train rows {} dim {} attacks {}", trainRows.n, trainRows.dim, trainRows.positives());
        Logistic model = Logistic.train(trainRows, 30, 0.01, 7);

        Rows validation = Rows.of(builder, windows(flows, 3));
        double threshold = Metrics.bestThreshold(model.score(validation), validation.labels);
        report("validation seed 3", model, validation, threshold);
        Rows test = Rows.of(builder, windows(flows, 2));
        report("test seed 2", model, test, threshold);
        String family = System.getProperty("family");
        if (family != null) explainMissed(model, test, names(spec), family, threshold);
        report("train seed 1", model, trainRows, threshold);

        if (Files.isDirectory(iot)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(iot, "*.csv")) {
                for (Path file : files) {
                    List<Flow> all = new ArrayList<>();
                    try (FlowFileReader reader = FlowFileReader.open(file, FlowFormat.AUTO)) {
                        reader.forEachRemaining(item -> {
                            if (item.valid()) all.add(item.flow());
                        });
                    }
                    all.sort((a, b) -> Double.compare(a.ts(), b.ts()));
                    List<List<Flow>> w = GraphWindows.byWindow(all.iterator(), WINDOW, GraphWindows.DEFAULT_MAX_EDGES);
                    Rows rows = Rows.of(builder, w);
                    report("IoT-23 " + file.getFileName(), model, rows, threshold);
                    if (Boolean.getBoolean("explain")) explain(model, rows, names(spec));
                }
            }
        }
    }

    private static List<String> names(FeatureSpec spec) {
        List<String> n = new ArrayList<>();
        spec.nodeFeatures().forEach(x -> n.add("src." + x));
        spec.nodeFeatures().forEach(x -> n.add("dst." + x));
        n.addAll(spec.edgeFeatures());
        return n;
    }

    /** The features pushing benign rows towards attack the most (mean weight x value). */
    private static void explain(Logistic model, Rows rows, List<String> names) {
        double[] c = new double[rows.dim];
        int benign = 0;
        for (int r = 0; r < rows.n; r++) {
            if (rows.labels[r] != 0) continue;
            benign++;
            for (int k = 0; k < rows.dim; k++) c[k] += model.w[k] * rows.x[r * rows.dim + k];
        }
        Integer[] idx = new Integer[rows.dim];
        for (int k = 0; k < idx.length; k++) idx[k] = k;
        final int nb = Math.max(1, benign);
        Arrays.sort(idx, (a, b) -> Double.compare(c[b], c[a]));
        for (int k = 0; k < 12; k++) LOG.info("  pushes benign to attack: {} {}", names.get(idx[k]), f(c[idx[k]] / nb));
    }

    /** For the missed flows of one family: the scaled values and contributions of the features holding them back. */
    private static void explainMissed(Logistic model, Rows rows, List<String> names, String family, double threshold) {
        double[] c = new double[rows.dim], v = new double[rows.dim];
        int missed = 0;
        float[] scores = model.score(rows);
        for (int r = 0; r < rows.n; r++) {
            if (!family.equals(rows.families[r]) || scores[r] >= threshold) continue;
            missed++;
            for (int k = 0; k < rows.dim; k++) {
                c[k] += model.w[k] * rows.x[r * rows.dim + k];
                v[k] += rows.x[r * rows.dim + k];
            }
        }
        Integer[] idx = new Integer[rows.dim];
        for (int k = 0; k < idx.length; k++) idx[k] = k;
        Arrays.sort(idx, (a, b) -> Double.compare(c[a], c[b]));
        final int m = Math.max(1, missed);
        LOG.info("{} missed {}", family, missed);
        for (int k = 0; k < 15; k++) {
            LOG.info(
                    "  holds back: {} value {} contribution {}", names.get(idx[k]), f(v[idx[k]] / m), f(c[idx[k]] / m));
        }
    }

    static List<List<Flow>> windows(int flows, long seed) {
        TrafficGenerator gen = new TrafficGenerator(
                GeneratorOptions.withDefaults(flows, null, null, START, null, seed, Clock.systemUTC()));
        return GraphWindows.byWindow(gen, WINDOW, GraphWindows.DEFAULT_MAX_EDGES);
    }

    private static void report(String what, Logistic model, Rows rows, double threshold) {
        float[] scores = model.score(rows);
        Metrics m = Metrics.of(scores, rows.labels, rows.families, threshold);
        if (rows.positives() > 0) {
            double own = Metrics.bestThreshold(scores, rows.labels);
            Metrics best = Metrics.of(scores, rows.labels, rows.families, own);
            LOG.info(
                    "{}: F1 at its own best threshold {} = {}, detected per family there: {}",
                    what,
                    f(own),
                    f(best.f1()),
                    best.families().entrySet().stream()
                            .map(e -> e.getKey() + " " + f(e.getValue().rate()))
                            .toList());
        }
        LOG.info(
                "{}: n={} attacks={} threshold={} F1={} precision={} recall={} FPR={} ROC-AUC={} PR-AUC={}",
                what,
                rows.n,
                rows.positives(),
                f(threshold),
                f(m.f1()),
                f(m.precision()),
                f(m.recall()),
                f(m.falsePositiveRate()),
                f(m.rocAuc()),
                f(m.prAuc()));
        m.families().forEach((family, r) -> LOG.info("  {}: {}/{} = {}", family, r.detected(), r.count(), f(r.rate())));
    }

    private static String f(double v) {
        return String.format("%.4f", v);
    }

    /** [node(src) ; node(dst) ; edge] per edge, labels and families. */
    record Rows(int n, int dim, float[] x, int[] labels, String[] families) {
        static Rows of(GraphBuilder builder, List<List<Flow>> windows) {
            int nd = builder.spec().nodeDim(), ed = builder.spec().edgeDim(), dim = 2 * nd + ed;
            int total = windows.stream().mapToInt(List::size).sum();
            float[] x = new float[total * dim];
            int[] labels = new int[total];
            String[] families = new String[total];
            int row = 0;
            for (List<Flow> w : windows) {
                EdgeGraph g = builder.build(w);
                for (int e = 0; e < g.edges(); e++, row++) {
                    int o = row * dim;
                    System.arraycopy(g.nodeFeatures(), g.src()[e] * nd, x, o, nd);
                    System.arraycopy(g.nodeFeatures(), g.dst()[e] * nd, x, o + nd, nd);
                    System.arraycopy(g.edgeFeatures(), e * ed, x, o + 2 * nd, ed);
                    labels[row] = g.labels() == null ? -1 : g.labels()[e];
                    families[row] = w.get(e).detailedLabel();
                }
            }
            return new Rows(total, dim, x, labels, families);
        }

        long positives() {
            long p = 0;
            for (int l : labels) if (l == 1) p++;
            return p;
        }
    }

    /** Class-weighted logistic regression, minibatch SGD with Adam. */
    static final class Logistic {
        final float[] w;
        float b;

        Logistic(int dim) {
            w = new float[dim];
        }

        static Logistic train(Rows rows, int epochs, double lr, long seed) {
            Logistic m = new Logistic(rows.dim);
            long pos = rows.positives(), neg = rows.n - pos;
            double wPos = rows.n / (2.0 * Math.max(1, pos)), wNeg = rows.n / (2.0 * Math.max(1, neg));
            int d = rows.dim;
            double[] mw = new double[d + 1], vw = new double[d + 1], g = new double[d + 1];
            int[] order = new int[rows.n];
            for (int i = 0; i < order.length; i++) order[i] = i;
            SplittableRandom rng = new SplittableRandom(seed);
            long step = 0;
            int batch = 256;
            for (int epoch = 0; epoch < epochs; epoch++) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int s = 0; s < order.length; s += batch) {
                    Arrays.fill(g, 0);
                    int end = Math.min(order.length, s + batch);
                    for (int k = s; k < end; k++) {
                        int r = order[k];
                        if (rows.labels[r] < 0) continue;
                        double p = m.prob(rows.x, r * d);
                        double err = (p - rows.labels[r]) * (rows.labels[r] == 1 ? wPos : wNeg);
                        for (int c = 0; c < d; c++) g[c] += err * rows.x[r * d + c];
                        g[d] += err;
                    }
                    step++;
                    for (int c = 0; c <= d; c++) {
                        double gc = g[c] / (end - s) + (c < d ? 1e-4 * m.w[c] : 0);
                        mw[c] = 0.9 * mw[c] + 0.1 * gc;
                        vw[c] = 0.999 * vw[c] + 0.001 * gc * gc;
                        double upd = lr
                                * (mw[c] / (1 - Math.pow(0.9, step)))
                                / (Math.sqrt(vw[c] / (1 - Math.pow(0.999, step))) + 1e-8);
                        if (c < d) m.w[c] -= upd;
                        else m.b -= upd;
                    }
                }
            }
            return m;
        }

        double prob(float[] x, int o) {
            double z = b;
            for (int c = 0; c < w.length; c++) z += w[c] * x[o + c];
            return 1 / (1 + Math.exp(-z));
        }

        float[] score(Rows rows) {
            float[] s = new float[rows.n];
            for (int r = 0; r < rows.n; r++) s[r] = (float) prob(rows.x, r * rows.dim);
            return s;
        }
    }
}
