package io.gnnnids.core.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentAlertsTest {

    static Incident incident(String id, long flows, long peers, long ports, String status, int revision) {
        return new Incident(
                id,
                "10.0.0.5",
                1000,
                1000 + flows,
                flows,
                peers,
                ports,
                0.97,
                0.9,
                List.of("DDoS"),
                List.of("3"),
                status,
                revision);
    }

    @Test
    void everyIncidentIsNewOnceThenSentAgainOnlyWhenItsFlowsPeersOrPortsDouble() {
        Incident scan = incident("inc-a", 10, 10, 1, Incident.NEW, 1);
        Incident closedBetweenRuns = incident("inc-b", 3, 1, 1, Incident.CLOSED, 2);
        assertEquals(
                List.of(
                        new IncidentAlerts.Due(scan, IncidentAlerts.NEW),
                        new IncidentAlerts.Due(closedBetweenRuns, IncidentAlerts.NEW)),
                IncidentAlerts.due(List.of(scan, closedBetweenRuns), Map.of()));

        Map<String, Incident> sent = Map.of("inc-a", scan, "inc-b", closedBetweenRuns);
        assertTrue(IncidentAlerts.due(List.of(scan, closedBetweenRuns), sent).isEmpty(), "a re-run sends nothing");
        Incident grown = incident("inc-a", 19, 19, 1, Incident.ONGOING, 2);
        assertTrue(IncidentAlerts.due(List.of(grown), sent).isEmpty(), "grown, but less than twice");
        for (Incident doubled : List.of(
                incident("inc-a", 20, 10, 1, Incident.ONGOING, 3),
                incident("inc-a", 12, 20, 1, Incident.ONGOING, 3),
                incident("inc-a", 12, 10, 2, Incident.ONGOING, 3))) {
            assertEquals(
                    List.of(new IncidentAlerts.Due(doubled, IncidentAlerts.ESCALATED)),
                    IncidentAlerts.due(List.of(doubled), sent));
        }
    }

    @Test
    void aMessageCarriesTheIncidentAndItsTopFlowsAndReadsBackAsWhatWasPublished() {
        Incident scan = incident("inc-a", 10, 10, 1, Incident.NEW, 1);
        Flow f = new Flow(
                1000.5,
                "C1",
                "10.0.0.5",
                40000,
                "10.0.1.9",
                23,
                "tcp",
                null,
                0.1,
                0L,
                0L,
                "S0",
                true,
                true,
                0L,
                "S",
                1L,
                40L,
                0L,
                0L,
                null,
                null);
        String json = IncidentAlerts.message(
                new IncidentAlerts.Due(scan, IncidentAlerts.NEW),
                List.of(new ScoredFlow(f, 0.97)),
                Instant.parse("2026-12-01T10:00:00Z"));
        assertTrue(
                json.contains("\"reason\":\"new\"")
                        && json.contains("\"publishedAt\":\"2026-12-01T10:00:00Z\"")
                        && json.contains("\"uid\":\"C1\"")
                        && json.contains("\"score\":0.97"),
                json);
        assertEquals(Map.of("inc-a", scan), IncidentAlerts.published(Map.of("inc-a", json, "other", "not json")));
        assertTrue(
                IncidentAlerts.text(new IncidentAlerts.Due(scan, IncidentAlerts.NEW))
                        .endsWith("(new), likely DDoS"),
                "the one line names the likely family");
    }
}
