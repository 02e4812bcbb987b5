package io.gnnnids.core.incident;

import java.util.List;

/**
 * A source host's flagged flows, each within {@code gap} of the next: one thing that happened, for a person to look
 * at. It grows while the host's flagged activity goes on and is closed once the newest traffic in the hot store is
 * more than the gap past its last flow.
 *
 * @param id            stable across runs: derived from the host and its first flagged flow
 * @param host          the source (originator) of the flagged flows
 * @param firstSeen     ts of its first flow (epoch seconds)
 * @param lastSeen      ts of its last flow
 * @param flows         flagged flows in it
 * @param peers         distinct responders
 * @param ports         distinct responder ports
 * @param maxScore      highest score of its flows
 * @param meanScore     mean score of its flows
 * @param families      the families the model named for its flows, the most frequent first
 * @param modelVersions the model versions that flagged them
 * @param status        {@code new}, {@code ongoing} or {@code closed}
 * @param revision      1 when created, one more at each change of its flows or status: (id, revision) names one state
 */
public record Incident(
        String id,
        String host,
        double firstSeen,
        double lastSeen,
        long flows,
        long peers,
        long ports,
        double maxScore,
        double meanScore,
        List<String> families,
        List<String> modelVersions,
        String status,
        int revision) {

    public static final String NEW = "new";
    public static final String ONGOING = "ongoing";
    public static final String CLOSED = "closed";
}
