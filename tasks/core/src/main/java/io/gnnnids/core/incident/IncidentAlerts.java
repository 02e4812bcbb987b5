package io.gnnnids.core.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which incidents to tell people about: every incident once, as {@code new} (also one that began and ended between
 * two runs), and again as {@code escalated} each time its flows, peers or ports have at least doubled since it was
 * last published. Doubling keeps a long scan to a handful of messages, where every change would send one per run.
 */
public final class IncidentAlerts {

    public static final String NEW = "new";
    public static final String ESCALATED = "escalated";
    /** How many of an incident's flows a message carries, the highest scores first. */
    public static final int TOP_FLOWS = 5;

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What one message says: why it was sent, when, the incident as it stands and its top flows. */
    public record Message(String reason, String publishedAt, Incident incident, List<ScoredFlow> topFlows) {}

    /** An incident to publish, and why. */
    public record Due(Incident incident, String reason) {}

    private IncidentAlerts() {}

    /** The incidents due, given the last published state of each incident id. */
    public static List<Due> due(List<Incident> incidents, Map<String, Incident> published) {
        List<Due> out = new ArrayList<>();
        for (Incident now : incidents) {
            Incident before = published.get(now.id());
            if (before == null) {
                out.add(new Due(now, NEW));
            } else if (now.flows() >= 2 * before.flows()
                    || now.peers() >= 2 * before.peers()
                    || now.ports() >= 2 * before.ports()) {
                out.add(new Due(now, ESCALATED));
            }
        }
        return out;
    }

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC);

    /** One line for a person: "new incident inc-…: 10.0.0.5, 312 flows to 40 peers on 2 ports, score 0.990, …". */
    public static String text(Due due) {
        Incident i = due.incident();
        return String.format(
                java.util.Locale.ROOT,
                "gnn-nids: %s incident %s: %s, %d flows to %d peers on %d ports, " + "score %.3f, %s to %s UTC (%s)%s",
                due.reason(),
                i.id(),
                i.host(),
                i.flows(),
                i.peers(),
                i.ports(),
                i.maxScore(),
                TIME.format(Instant.ofEpochMilli((long) (i.firstSeen() * 1000))),
                TIME.format(Instant.ofEpochMilli((long) (i.lastSeen() * 1000))),
                i.status(),
                i.families().isEmpty()
                        ? ""
                        : ", likely "
                                + String.join(
                                        " or ",
                                        i.families()
                                                .subList(
                                                        0,
                                                        Math.min(2, i.families().size()))));
    }

    /** The message of a due incident, as JSON. */
    public static String message(Due due, List<ScoredFlow> topFlows, Instant at) {
        try {
            return JSON.writeValueAsString(new Message(due.reason(), at.toString(), due.incident(), topFlows));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write the alert of incident " + due.incident().id(), e);
        }
    }

    /**
     * The incident each message last published, by id, from the messages by key. A message that cannot be read
     * (written by something else) counts as not published, so its incident is sent again rather than never.
     */
    public static Map<String, Incident> published(Map<String, String> messagesByKey) {
        Map<String, Incident> out = new LinkedHashMap<>();
        messagesByKey.forEach((key, value) -> {
            try {
                JsonNode incident = JSON.readTree(value).get("incident");
                if (incident != null) out.put(key, JSON.treeToValue(incident, Incident.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // not one of ours
            }
        });
        return out;
    }
}
