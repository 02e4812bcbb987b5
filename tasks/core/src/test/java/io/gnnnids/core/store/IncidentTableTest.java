package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.incident.ScoredFlow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentTableTest extends HotStoreFixture {

    private static final Duration GAP = Duration.ofMinutes(15);

    private int batches;

    @Test
    void flaggedFlowsGroupPerHostGrowAcrossRunsCloseWhenQuietAndARerunChangesNothing() throws Exception {
        try (HotStore hot = open()) {
            // Host .5 scans three targets within a minute; host .6 has one flagged flow; a benign flow of .5 is no
            // part.
            store(
                    hot,
                    0.9f,
                    flow("a1", 1000, "10.0.0.5", "10.0.1.1", 23),
                    flow("a2", 1030, "10.0.0.5", "10.0.1.2", 23),
                    flow("a3", 1060, "10.0.0.5", "10.0.1.3", 2323),
                    flow("b1", 1010, "10.0.0.6", "8.8.8.8", 443));
            store(hot, 0.1f, flow("ok", 1050, "10.0.0.5", "10.0.0.1", 53));
            assertEquals(new IncidentTable.Update(4, 2, 0, 0), IncidentTable.update(hot, GAP));
            List<Incident> first = IncidentTable.all(hot);
            assertEquals(2, first.size());
            Incident scan = first.get(0);
            assertEquals("10.0.0.5", scan.host());
            assertEquals(
                    List.of(1000.0, 1060.0, 3L, 3L, 2L),
                    List.of(scan.firstSeen(), scan.lastSeen(), scan.flows(), scan.peers(), scan.ports()));
            assertEquals(0.9, scan.maxScore(), 1e-6);
            assertEquals(List.of("7"), scan.modelVersions());
            assertEquals(List.of(Incident.NEW, 1), List.of(scan.status(), scan.revision()));

            // A re-run finds nothing new: same incidents, same revisions.
            assertEquals(new IncidentTable.Update(0, 0, 0, 0), IncidentTable.update(hot, GAP));
            assertEquals(first, IncidentTable.all(hot));

            // The scan goes on 15 minutes after its last flow (the gap itself): the incident grows.
            store(hot, 0.95f, flow("a4", 1060 + 900, "10.0.0.5", "10.0.1.4", 23));
            assertEquals(new IncidentTable.Update(1, 0, 1, 1), IncidentTable.update(hot, GAP));
            Incident grown = IncidentTable.all(hot).get(0);
            assertEquals(scan.id(), grown.id());
            assertEquals(
                    List.of(4L, 4L, 1960.0, Incident.ONGOING, 2),
                    List.of(grown.flows(), grown.peers(), grown.lastSeen(), grown.status(), grown.revision()));
            assertEquals(0.95, grown.maxScore(), 1e-6);
            // .6's incident closed: the newest traffic (1960) is more than the gap past its last flow (1010).
            Incident quiet = IncidentTable.all(hot).get(1);
            assertEquals(
                    List.of("10.0.0.6", Incident.CLOSED, 2), List.of(quiet.host(), quiet.status(), quiet.revision()));

            // Past the gap, the same host starts a new incident, and the scan closes once traffic moves on.
            store(hot, 0.8f, flow("a5", 1960 + 901, "10.0.0.5", "10.0.1.5", 23));
            store(hot, 0.1f, flow("later", 1960 + 901 + 901, "10.0.0.7", "10.0.0.1", 53));
            assertEquals(new IncidentTable.Update(1, 1, 0, 2), IncidentTable.update(hot, GAP));
            List<Incident> now = IncidentTable.all(hot);
            assertEquals(3, now.size());
            assertEquals(
                    List.of(Incident.CLOSED, Incident.CLOSED, Incident.CLOSED),
                    now.stream().map(Incident::status).toList());
            assertEquals(List.of(3, 2, 2), now.stream().map(Incident::revision).toList());
            assertEquals(3, IncidentTable.recent(hot, Duration.ofHours(1), 10).size());
        }
    }

    @Test
    void archivedFlowsNameTheirIncidentAndLeaveItsFlowsTableWithThem() throws Exception {
        try (HotStore hot = open()) {
            storeTwoProbes(hot);
            store(hot, 0.1f, flow("ok", 1050, "10.0.0.5", "10.0.0.1", 53));
            IncidentTable.update(hot, GAP);
            String incident = IncidentTable.all(hot).get(0).id();
            Thread.sleep(5); // stored before "now minus no retention"
            assertEquals(3, HotArchive.mark(hot, "arc-1", Duration.ZERO));
            List<DayFile> files = HotArchive.export(hot, "arc-1", dir.resolve("export"));
            Map<String, String> incidentOf = new java.util.HashMap<>();
            try (java.sql.Statement st = hot.connection().createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT uid, incident_id FROM read_parquet('"
                            + files.get(0).file() + "')")) {
                while (rs.next()) incidentOf.put(rs.getString(1), rs.getString(2));
            }
            Map<String, String> expected = new java.util.HashMap<>(Map.of("a1", incident, "a2", incident));
            expected.put("ok", null);
            assertEquals(expected, incidentOf);
            assertEquals(3, HotArchive.deleteArchived(hot, "arc-1", 3));
            try (java.sql.Statement st = hot.connection().createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM incident_flows")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
            assertEquals(2, IncidentTable.all(hot).get(0).flows(), "the incident keeps its figures");
        }
    }

    /**
     * A host that keeps at it outlives the hot store's retention: its incident's first flows are archived while it
     * grows, and its figures go on from what they were, not from the flows still in the hot store.
     */
    @Test
    void anIncidentWhoseFirstFlowsWereArchivedGrowsFromItsFiguresNotFromWhatIsLeft() throws Exception {
        try (HotStore hot = open()) {
            storeTwoProbes(hot);
            IncidentTable.update(hot, GAP);
            Thread.sleep(5); // stored before "now minus no retention"
            assertEquals(2, HotArchive.mark(hot, "arc-1", Duration.ZERO));
            HotArchive.export(hot, "arc-1", dir.resolve("export"));
            assertEquals(2, HotArchive.deleteArchived(hot, "arc-1", 2));

            store(hot, 0.6f, flow("a3", 1100, "10.0.0.5", "10.0.1.3", 2323));
            assertEquals(new IncidentTable.Update(1, 0, 1, 0), IncidentTable.update(hot, GAP));
            Incident grown = IncidentTable.all(hot).get(0);
            assertEquals(
                    List.of(1000.0, 1100.0, 3L, 3L, 2L, Incident.ONGOING, 2),
                    List.of(
                            grown.firstSeen(),
                            grown.lastSeen(),
                            grown.flows(),
                            grown.peers(),
                            grown.ports(),
                            grown.status(),
                            grown.revision()));
            assertEquals(0.9, grown.maxScore(), 1e-6);
            assertEquals(0.8, grown.meanScore(), 1e-6);
        }
    }

    /** A file whose incidents predate {@code incident_traits} gets them from its flows when it is opened. */
    @Test
    void reopeningAFileOfTheVersionBeforeTraitsCountsThemFromItsIncidentsFlows() throws Exception {
        try (HotStore hot = open();
                java.sql.Statement st = hot.connection().createStatement()) {
            storeTwoProbes(hot);
            IncidentTable.update(hot, GAP);
            st.execute("DROP TABLE " + IncidentTable.TRAITS);
            st.execute("DELETE FROM schema_version");
            st.execute("INSERT INTO schema_version VALUES (5, now())");
        }
        try (HotStore hot = open()) {
            assertEquals(HotStore.SCHEMA_VERSION, hot.schemaVersion());
            store(hot, 0.9f, flow("a3", 1060, "10.0.0.5", "10.0.1.2", 2323));
            IncidentTable.update(hot, GAP);
            Incident grown = IncidentTable.all(hot).get(0);
            assertEquals(
                    List.of(3L, 2L, 2L, List.of("7")),
                    List.of(grown.flows(), grown.peers(), grown.ports(), grown.modelVersions()));
        }
    }

    @Test
    void anIncidentNamesTheFamiliesOfItsFlowsMostFrequentFirstAndItsTopFlowsCarryTheirExplanations() throws Exception {
        try (HotStore hot = open()) {
            List<Flow> flows = List.of(
                    flow("a1", 1000, "10.0.0.5", "10.0.1.1", 23),
                    flow("a2", 1010, "10.0.0.5", "10.0.1.2", 23),
                    flow("a3", 1020, "10.0.0.5", "10.0.1.3", 80),
                    flow("a4", 1030, "10.0.0.5", "10.0.1.4", 80),
                    flow("a5", 1040, "10.0.0.5", "10.0.1.5", 80));
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            String why = "{\"reasons\":[{\"group\":\"source's fan-out\",\"logOddsDrop\":4.2,\"scoreWithout\":0.1}]}";
            HotPredictions.write(
                    hot,
                    flows.stream().map(Flow::uid).toList(),
                    new float[] {0.9f, 0.95f, 0.8f, 0.7f, 0.75f},
                    0.5,
                    "7",
                    new String[] {"PartOfAHorizontalPortScan", "PartOfAHorizontalPortScan", "DDoS", "DDoS", "DDoS"},
                    new String[] {why, why, why, why, why});
            IncidentTable.update(hot, GAP);
            Incident incident = IncidentTable.all(hot).get(0);
            assertEquals(List.of("DDoS", "PartOfAHorizontalPortScan"), incident.families());
            List<ScoredFlow> top = IncidentTable.topFlows(hot, incident.id(), 2);
            assertEquals(
                    List.of("a2", "a1"), top.stream().map(s -> s.flow().uid()).toList());
            assertEquals("PartOfAHorizontalPortScan", top.get(0).family());
            assertEquals(
                    "source's fan-out",
                    top.get(0)
                            .explanation()
                            .path("reasons")
                            .get(0)
                            .path("group")
                            .asText());
        }
    }

    private static Flow flow(String uid, double ts, String orig, String resp, int port) {
        return TestFlows.between(uid, ts, orig, resp, port);
    }

    /** Host .5 probes two targets on telnet, half a minute apart: flagged at 0.9. */
    private void storeTwoProbes(HotStore hot) throws Exception {
        store(hot, 0.9f, flow("a1", 1000, "10.0.0.5", "10.0.1.1", 23), flow("a2", 1030, "10.0.0.5", "10.0.1.2", 23));
    }

    private void store(HotStore hot, float score, Flow... flows) throws Exception {
        String batch = "b" + (++batches);
        HotBatches.insert(hot, batch, TestFlows.write(dir.resolve(batch + ".parquet"), List.of(flows)));
        List<String> uids = new ArrayList<>();
        for (Flow f : flows) uids.add(f.uid());
        float[] scores = new float[flows.length];
        java.util.Arrays.fill(scores, score);
        HotPredictions.write(hot, uids, scores, 0.5, "7");
    }
}
