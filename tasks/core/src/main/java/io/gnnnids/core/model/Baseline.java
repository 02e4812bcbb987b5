package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.GraphWindows;
import io.gnnnids.core.graph.NodeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Training on a network's own traffic without labels. The operator names a period they trust as benign; its flows
 * are counted benign, and attacks generated onto the network's own hosts and services are the positives, so the
 * model learns this network's normal traffic rather than a generated one's.
 *
 * <p>A period is trusted, not known, to be clean. The flows a model trained on generated networks alone flags in it
 * are screened out: they stay in the graphs as context but teach nothing, and are reported, so an attack already
 * under way when the baseline was taken is not learnt as normal.
 */
public final class Baseline {

    /**
     * The baseline after screening.
     *
     * @param flows      every baseline flow, labelled benign, or unlabelled where the screen flagged it
     * @param leftOut    the flows the screen flagged, highest score first
     * @param threshold  the score from which the screen left flows out
     */
    public record Screened(List<Flow> flows, List<Scored> leftOut, double threshold) {
        public long benign() {
            return flows.size() - leftOut.size();
        }

        /** The share of the baseline's flows the screen left out. */
        public double leftOutShare() {
            return flows.isEmpty() ? 0 : (double) leftOut.size() / flows.size();
        }

        /**
         * What the operator should know when the screen left out more than {@link #DOUBTFUL_SHARE} of the period they
         * named as normal, else null.
         */
        public String doubt(String period) {
            if (leftOutShare() <= DOUBTFUL_SHARE) {
                return null;
            }
            return String.format(
                    "the screen left out %d of the baseline's %d flows (%.0f %%) as more likely attacks "
                            + "than not: an attack was under way in %s, or this network's normal traffic is unlike "
                            + "the generated "
                            + "networks; either way the model learns little of it. Look at the flows in the MLflow "
                            + "run's "
                            + "baseline_left_out.json, then train on a period you have checked",
                    leftOut.size(), flows.size(), 100 * leftOutShare(), period);
        }
    }

    /**
     * Above this share of a baseline left out, the period is doubtful: when a fifth of what the operator trusts as
     * normal looks like attacks, either the trust or the screen is wrong, and a person should look before the model
     * learns from it.
     */
    public static final double DOUBTFUL_SHARE = 0.20;

    /** A flow with the score the screen gave it. */
    public record Scored(Flow flow, float score) {}

    /** Generated networks a baseline run trains its screen on, and trains on again beside the baseline. */
    public static final int DEFAULT_NETWORKS = 8;

    private Baseline() {}

    /**
     * Attack flows to generate onto a baseline of {@code baselineFlows}: a fifth as many, at least 2,000 so that
     * every family shows on a small network.
     */
    static long attackFlows(long baselineFlows) {
        return Math.max(2_000, baselineFlows / 5);
    }

    /**
     * Labels every flow benign except those {@code screen} flags at even odds or above ({@link
     * OperatingPoint#EVEN_ODDS}, whatever rule set its threshold), which lose their label. A period the operator
     * trusts as benign needs more than "unfamiliar" to be doubted, and every flow wrongly left out is normal traffic
     * the model never learns.
     */
    public static Screened screen(List<Flow> baseline, Detector screen) {
        List<Flow> sorted = inTimeOrder(baseline);
        float[] scores = screen.score(sorted);
        double cut = Math.max(screen.threshold(), OperatingPoint.EVEN_ODDS);
        List<Flow> out = new ArrayList<>(sorted.size());
        List<Scored> leftOut = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Flow f = sorted.get(i);
            if (scores[i] >= cut) {
                out.add(f.withLabel(null, null));
                leftOut.add(new Scored(f, scores[i]));
            } else {
                out.add(f.withLabel(Flow.BENIGN, null));
            }
        }
        leftOut.sort(Comparator.comparingDouble((Scored s) -> s.score).reversed());
        return new Screened(out, leftOut, cut);
    }

    /**
     * The screened baseline with the generated attacks among it, cut into windows and split by time: the first
     * {@code trainShare} trains, the next {@code validationShare} validates, the rest tests.
     */
    public static TrainingRun.Split split(
            Screened baseline, List<Flow> attacks, Duration window, double trainShare, double validationShare) {
        List<Flow> all = new ArrayList<>(baseline.flows().size() + attacks.size());
        all.addAll(baseline.flows());
        all.addAll(attacks);
        all.sort(Comparator.comparingDouble(Flow::ts));
        List<List<Flow>> windows = GraphWindows.byWindow(all.iterator(), window, GraphWindows.DEFAULT_MAX_EDGES);
        return TrainingRun.chronological(windows, trainShare, validationShare);
    }

    /**
     * What a baseline training run trains on, and what screening left out.
     *
     * @param split    the baseline's windows split by time, then the generated networks' split by network
     * @param screened the baseline after screening
     * @param attacks  how many attack flows were generated onto the baseline's network
     */
    public record Prepared(TrainingRun.Split split, Screened screened, long attacks) {}

    /**
     * Labelled attack flows generated onto the network that {@code observed} shows: its own hosts and services.
     * The traffic simulator provides them (its {@code AttackOverlay}); core only decides how many.
     */
    @FunctionalInterface
    public interface Attacks {
        List<Flow> onto(List<Flow> observed, long count);
    }

    /**
     * Screens the baseline with a model trained on the generated networks alone, then puts {@code attacks} onto
     * the baseline's network among the screened flows.
     *
     * @param generated the generated networks' split (trained on for the screen, and again with the baseline)
     */
    public static Prepared prepare(
            List<Flow> baseline,
            TrainingRun.Split generated,
            Attacks attacks,
            TrainConfig config,
            NodeKey nodeKey,
            Duration window,
            OperatingPoint operatingPoint) {
        TrainingRun.Outcome screenModel = TrainingRun.run(generated, config, nodeKey, window, operatingPoint, e -> {});
        try (Detector screen = screenModel.detector(window)) {
            return prepare(baseline, generated, screen, attacks, window);
        }
    }

    /** As above, with a screen already trained on the generated networks. */
    public static Prepared prepare(
            List<Flow> baseline, TrainingRun.Split generated, Detector screen, Attacks attacks, Duration window) {
        Screened screened = screen(baseline, screen);
        List<Flow> positives =
                attacks.onto(screened.flows(), attackFlows(screened.flows().size()));
        TrainingRun.Split split = split(screened, positives, window, 0.70, 0.15).plus(generated);
        return new Prepared(split, screened, positives.size());
    }

    private static List<Flow> inTimeOrder(List<Flow> flows) {
        List<Flow> sorted = new ArrayList<>(flows);
        sorted.sort(Comparator.comparingDouble(Flow::ts));
        return sorted;
    }
}
