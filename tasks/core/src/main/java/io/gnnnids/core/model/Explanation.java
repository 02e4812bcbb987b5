package io.gnnnids.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.NodeFeatures;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a flow was flagged, for the person who looks at it: the feature groups that moved its score most
 * ({@link Explainer}), the family it most likely belongs to, and what its source did in the flow's window.
 *
 * @param reasons           strongest first, at most {@link Explainer#REASONS}
 * @param family            the family head's guess; null for a version trained without one
 * @param familyProbability the head's probability for it; null with no family
 * @param source            the source host's activity in the window, counted from the flows themselves
 */
public record Explanation(
        List<Explainer.Reason> reasons, String family, Double familyProbability, Neighbourhood source) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A source's flows in a window (as originator): how many, to how many peers and responder ports, and the share
     * nobody answered (conn_state S0, SH, RSTOS0) or that was refused (REJ).
     */
    public record Neighbourhood(long flows, long peers, long ports, double unansweredShare, double rejectedShare) {

        /** Counts, for each of {@code hosts}, the flows of {@code window} it originated; one pass over the window. */
        public static Map<String, Neighbourhood> of(Set<String> hosts, Iterable<Flow> window) {
            Map<String, Counts> counts = new HashMap<>();
            for (String h : hosts) counts.put(h, new Counts());
            for (Flow f : window) {
                Counts c = counts.get(f.origH());
                if (c == null) continue;
                c.flows++;
                c.peers.add(f.respH());
                c.ports.add(f.respP());
                byte outcome = NodeFeatures.outcome(f.connState());
                if (outcome == NodeFeatures.NO_ANSWER) c.unanswered++;
                else if (outcome == NodeFeatures.REJECTED) c.rejected++;
            }
            Map<String, Neighbourhood> out = new HashMap<>();
            counts.forEach((h, c) -> out.put(
                    h,
                    new Neighbourhood(
                            c.flows,
                            c.peers.size(),
                            c.ports.size(),
                            share(c.unanswered, c.flows),
                            share(c.rejected, c.flows))));
            return out;
        }

        private static final class Counts {
            long flows, unanswered, rejected;
            final Set<String> peers = new HashSet<>();
            final Set<Integer> ports = new HashSet<>();
        }

        private static double share(long part, long whole) {
            return whole == 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
        }
    }

    static Explanation of(Explainer.Verdict verdict, Neighbourhood source) {
        List<Explainer.Reason> rounded = verdict.reasons().stream()
                .map(r -> new Explainer.Reason(r.group(), round(r.logOddsDrop()), round(r.scoreWithout())))
                .toList();
        FamilyHead.Guess f = verdict.family();
        return new Explanation(
                rounded, f == null ? null : f.family(), f == null ? null : round(f.probability()), source);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** One line of JSON, as the hot store keeps it. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("explanation could not be written as JSON", e);
        }
    }

    public static Explanation fromJson(String json) {
        try {
            return JSON.readValue(json, Explanation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an explanation: " + e.getOriginalMessage(), e);
        }
    }

    /** "source's fan-out, connection state" */
    public String reasonsText() {
        return String.join(", ", reasons.stream().map(Explainer.Reason::group).toList());
    }
}
