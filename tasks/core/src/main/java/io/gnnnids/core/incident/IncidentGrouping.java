package io.gnnnids.core.incident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assigns newly flagged flows to incidents: a flow joins its host's incident when it falls within {@code gap} of that
 * incident's span (before its first flow or after its last, the gap included), and starts a new one otherwise.
 * Flows are taken per host in time order, so an incident grows flow by flow. A late flow that falls between two of
 * a host's incidents joins the later one; the two are not merged (their ids were already published).
 */
public final class IncidentGrouping {

    /** An incident's span so far. */
    public record Span(String id, String host, double firstSeen, double lastSeen) {}

    /** A flagged flow not yet in an incident. */
    public record Flagged(String uid, String host, double ts) {}

    /**
     * @param incidentOf each flow's incident id, by uid
     * @param created    ids of the incidents these flows started
     * @param grown      ids of existing incidents they joined
     */
    public record Result(Map<String, String> incidentOf, Set<String> created, Set<String> grown) {}

    private IncidentGrouping() {}

    /** Groups {@code flagged} given the incidents that exist ({@code existing}), with a gap in seconds. */
    public static Result group(List<Span> existing, List<Flagged> flagged, double gapSeconds) {
        Map<String, List<Span>> byHost = new HashMap<>();
        for (Span s : existing)
            byHost.computeIfAbsent(s.host(), h -> new ArrayList<>()).add(s);
        List<Flagged> ordered = new ArrayList<>(flagged);
        ordered.sort(Comparator.comparing(Flagged::host)
                .thenComparingDouble(Flagged::ts)
                .thenComparing(Flagged::uid));
        Map<String, String> incidentOf = new LinkedHashMap<>();
        Set<String> created = new LinkedHashSet<>();
        Set<String> grown = new LinkedHashSet<>();
        for (Flagged f : ordered) {
            List<Span> spans = byHost.computeIfAbsent(f.host(), h -> new ArrayList<>());
            int at = -1;
            for (int i = 0; i < spans.size(); i++) {
                Span s = spans.get(i);
                boolean near = f.ts() >= s.firstSeen() - gapSeconds && f.ts() <= s.lastSeen() + gapSeconds;
                if (near && (at < 0 || s.lastSeen() > spans.get(at).lastSeen())) at = i;
            }
            if (at < 0) {
                Span s = new Span(idOf(f), f.host(), f.ts(), f.ts());
                spans.add(s);
                created.add(s.id());
                incidentOf.put(f.uid(), s.id());
                continue;
            }
            Span s = spans.get(at);
            spans.set(at, new Span(s.id(), s.host(), Math.min(s.firstSeen(), f.ts()), Math.max(s.lastSeen(), f.ts())));
            if (!created.contains(s.id())) grown.add(s.id());
            incidentOf.put(f.uid(), s.id());
        }
        return new Result(incidentOf, created, grown);
    }

    /** "inc-" and 16 hex digits of SHA-256 over the host and the uid of the flow that started it. */
    static String idOf(Flagged first) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((first.host() + "|" + first.uid()).getBytes(StandardCharsets.UTF_8));
            return "inc-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
