package io.gnnnids.core.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.incident.IncidentGrouping.Flagged;
import io.gnnnids.core.incident.IncidentGrouping.Result;
import io.gnnnids.core.incident.IncidentGrouping.Span;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentGroupingTest {

    private static final double GAP = 900;

    @Test
    void aFlowExactlyOneGapAfterTheLastJoinsAndOneJustPastItStartsAnother() {
        Result r = IncidentGrouping.group(
                List.of(),
                List.of(
                        new Flagged("a", "10.0.0.5", 1000),
                        new Flagged("b", "10.0.0.5", 1000 + GAP),
                        new Flagged("c", "10.0.0.5", 1000 + 2 * GAP + 0.001)),
                GAP);
        assertEquals(r.incidentOf().get("a"), r.incidentOf().get("b"));
        assertNotEquals(r.incidentOf().get("b"), r.incidentOf().get("c"));
        assertEquals(2, r.created().size());
        assertTrue(r.grown().isEmpty());
    }

    @Test
    void eachHostHasItsOwnIncidentsAndTheyAreFoundInAnyInputOrder() {
        List<Flagged> flows = List.of(
                new Flagged("b2", "10.0.0.6", 1010),
                new Flagged("a2", "10.0.0.5", 1020),
                new Flagged("a1", "10.0.0.5", 1000),
                new Flagged("b1", "10.0.0.6", 1000));
        Result r = IncidentGrouping.group(List.of(), flows, GAP);
        assertEquals(r.incidentOf().get("a1"), r.incidentOf().get("a2"));
        assertEquals(r.incidentOf().get("b1"), r.incidentOf().get("b2"));
        assertNotEquals(r.incidentOf().get("a1"), r.incidentOf().get("b1"));
        // The id comes from the host and its first flow, whatever order the flows came in.
        assertEquals(
                IncidentGrouping.idOf(new Flagged("a1", "10.0.0.5", 1000)),
                r.incidentOf().get("a1"));
        List<Flagged> reversed = new java.util.ArrayList<>(flows);
        java.util.Collections.reverse(reversed);
        assertEquals(
                r.incidentOf(), IncidentGrouping.group(List.of(), reversed, GAP).incidentOf());
    }

    @Test
    void anIncidentGrowsWhileTheActivityGoesOnAndAnotherHostsIncidentIsLeftAlone() {
        List<Span> existing =
                List.of(new Span("inc-1", "10.0.0.5", 1000, 1600), new Span("inc-2", "10.0.0.6", 1000, 1600));
        Result r = IncidentGrouping.group(existing, List.of(new Flagged("x", "10.0.0.5", 1600 + GAP)), GAP);
        assertEquals("inc-1", r.incidentOf().get("x"));
        assertEquals(Set.of("inc-1"), r.grown());
        assertTrue(r.created().isEmpty());
    }

    @Test
    void aLateFlowJoinsTheIncidentItPrecedesWithinTheGapAndTheLaterOfTwo() {
        List<Span> existing = List.of(new Span("early", "h", 0, 100), new Span("late", "h", 1000, 1100));
        Result r = IncidentGrouping.group(
                existing, List.of(new Flagged("before", "h", 1000 - 500), new Flagged("between", "h", 550)), 500);
        assertEquals("late", r.incidentOf().get("before"));
        assertEquals("late", r.incidentOf().get("between"));
    }
}
