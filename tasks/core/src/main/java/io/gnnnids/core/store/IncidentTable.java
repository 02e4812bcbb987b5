package io.gnnnids.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.FlowColumn;
import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.incident.IncidentGrouping;
import io.gnnnids.core.incident.ScoredFlow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Incidents in the hot store: table {@code incidents}, one row per incident with its figures and status,
 * {@code incident_flows}, which incident each flagged flow belongs to, and {@code incident_traits}, each peer, port,
 * family and model version an incident's flows had, with how many flows had it. {@link #update} assigns the flagged
 * flows that have no incident yet (so a re-run changes nothing), adds them to their incidents' figures and closes
 * incidents whose host has been quiet for the gap, in one transaction. Figures are added to, never recounted from
 * the flows: an incident outlives its first flows, which {@code archive} moves out of the hot store while the host
 * may still be at it. Time is the traffic's own: the newest flow's ts, so replayed or late traffic groups the same
 * way as live traffic.
 */
public final class IncidentTable {

    public static final String TABLE = "incidents";
    public static final String FLOWS = "incident_flows";

    static final String DEFINITION = "id VARCHAR PRIMARY KEY, host VARCHAR NOT NULL, first_seen DOUBLE NOT NULL, "
            + "last_seen DOUBLE NOT NULL, flows BIGINT NOT NULL, peers BIGINT NOT NULL, ports BIGINT NOT NULL, "
            + "max_score DOUBLE, mean_score DOUBLE, model_versions VARCHAR, status VARCHAR NOT NULL, "
            + "revision INTEGER NOT NULL, updated_at TIMESTAMP NOT NULL, families VARCHAR";
    /** Columns added since the table first shipped, for files that have it without them. */
    static final String ADDED_COLUMNS = "families VARCHAR";

    static final String FLOWS_DEFINITION = "uid VARCHAR PRIMARY KEY, incident_id VARCHAR NOT NULL";

    public static final String TRAITS = "incident_traits";
    /** kind is one of {@link Trait}'s names; value the peer, the port, the family or the model version. */
    static final String TRAITS_DEFINITION =
            "incident_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, value VARCHAR NOT NULL, "
                    + "flows BIGINT NOT NULL, PRIMARY KEY (incident_id, kind, value)";

    /** What {@code incident_traits} counts per incident: the distinct values make the incident's figures. */
    enum Trait {
        peer("resp_h"),
        port("CAST(resp_p AS VARCHAR)"),
        family("predicted_family"),
        model("model_version");

        /** The flows table's expression for this trait. */
        final String column;

        Trait(String column) {
            this.column = column;
        }
    }

    private static final String COLUMNS =
            "id, host, first_seen, last_seen, flows, peers, ports, max_score, mean_score, "
                    + "model_versions, status, revision, families";

    /** What one update did: flows assigned, incidents created, grown and closed. */
    public record Update(long flows, long created, long grown, long closed) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentTable() {}

    /** Assigns the flagged flows without an incident, refreshes the incidents they touch, closes quiet ones. */
    public static Update update(HotStore store, Duration gap) {
        double gapSeconds = gap.toMillis() / 1000.0;
        return store.inTransaction("update the incidents", c -> {
            List<Unassigned> unassigned = unassigned(c);
            List<IncidentGrouping.Flagged> flagged =
                    unassigned.stream().map(Unassigned::flagged).toList();
            IncidentGrouping.Result grouped = IncidentGrouping.group(
                    flagged.isEmpty() ? List.of() : spansSince(c, flagged, gapSeconds), flagged, gapSeconds);
            if (!flagged.isEmpty()) {
                try (DuckDBAppender app =
                        ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA, FLOWS)) {
                    for (var e : grouped.incidentOf().entrySet())
                        app.beginRow().append(e.getKey()).append(e.getValue()).endRow();
                    app.flush(); // close() swallows errors; flush() reports them
                }
                add(c, unassigned, grouped.incidentOf());
            }
            long closed;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET status = '" + Incident.CLOSED
                    + "', revision = revision + 1, updated_at = now() WHERE status <> '" + Incident.CLOSED
                    + "' AND last_seen < (SELECT max(ts) FROM " + HotStore.TABLE + ") - ?")) {
                ps.setDouble(1, gapSeconds);
                closed = ps.executeUpdate();
            }
            return new Update(
                    flagged.size(), grouped.created().size(), grouped.grown().size(), closed);
        });
    }

    /**
     * Incidents open, or changed within {@code window} of the database's clock; the highest scores first. None when
     * the file predates incidents and no step has opened it for writing since (a read-only open does not migrate).
     */
    public static List<Incident> recent(HotStore store, Duration window, int limit) {
        if (!exists(store)) return List.of();
        String sql = "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE status <> '" + Incident.CLOSED
                + "' OR updated_at >= CAST(now() AS TIMESTAMP) - to_milliseconds(?) "
                + "ORDER BY max_score DESC, last_seen DESC, id LIMIT ?";
        try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
            ps.setLong(1, window.toMillis());
            ps.setInt(2, limit);
            return read(ps);
        } catch (SQLException e) {
            throw new StepFailure("cannot read the incidents of " + store.file() + ": " + e.getMessage(), e);
        }
    }

    /** The incident's {@code limit} highest-scored flows, earliest first among equal scores. */
    public static List<ScoredFlow> topFlows(HotStore store, String incidentId, int limit) {
        List<ScoredFlow> out = new ArrayList<>();
        try (PreparedStatement ps = store.connection()
                .prepareStatement("SELECT " + FlowColumn.sqlColumnList("f")
                        + ", f.score, f.predicted_family, f.explanation FROM " + FLOWS + " i JOIN " + HotStore.TABLE
                        + " f ON f.uid = i.uid WHERE i.incident_id = ? "
                        + "ORDER BY f.score DESC, f.ts, f.uid LIMIT ?")) {
            ps.setString(1, incidentId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                int at = FlowColumn.ALL.size();
                while (rs.next()) {
                    String explanation = rs.getString(at + 3);
                    out.add(new ScoredFlow(
                            FlowRows.read(rs),
                            rs.getDouble(at + 1),
                            rs.getString(at + 2),
                            explanation == null ? null : JSON.readTree(explanation)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StepFailure(
                    "cannot read the flows of incident " + incidentId + " in " + store.file() + ": " + e.getMessage(),
                    e);
        }
        return out;
    }

    /** Every incident, by first flow (none in a file that predates incidents). */
    public static List<Incident> all(HotStore store) {
        if (!exists(store)) return List.of();
        try (PreparedStatement ps = store.connection()
                .prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " ORDER BY first_seen, id")) {
            return read(ps);
        } catch (SQLException e) {
            throw new StepFailure("cannot read the incidents of " + store.file() + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(HotStore store) {
        try (Statement st = store.connection().createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '" + TABLE
                                + "'")) {
            rs.next();
            return rs.getLong(1) > 0;
        } catch (SQLException e) {
            throw new StepFailure("cannot read the tables of " + store.file() + ": " + e.getMessage(), e);
        }
    }

    /** A flagged flow without an incident, with what it adds to one. */
    private record Unassigned(IncidentGrouping.Flagged flagged, double score, Map<Trait, String> traits) {}

    private static List<Unassigned> unassigned(Connection c) throws SQLException {
        List<Unassigned> out = new ArrayList<>();
        StringBuilder traits = new StringBuilder();
        for (Trait t : Trait.values()) traits.append(", ").append(t.column);
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT uid, orig_h, ts, score" + traits + " FROM "
                        + HotStore.TABLE + " f WHERE prediction = 1 AND NOT EXISTS (SELECT 1 FROM " + FLOWS
                        + " i WHERE i.uid = f.uid)")) {
            while (rs.next()) {
                Map<Trait, String> values = new EnumMap<>(Trait.class);
                for (Trait t : Trait.values()) {
                    String v = rs.getString(5 + t.ordinal());
                    if (v != null) values.put(t, v);
                }
                out.add(new Unassigned(
                        new IncidentGrouping.Flagged(rs.getString(1), rs.getString(2), rs.getDouble(3)),
                        rs.getDouble(4),
                        values));
            }
        }
        return out;
    }

    /** The incidents the flagged flows could join: those ending within the gap before the earliest of them. */
    private static List<IncidentGrouping.Span> spansSince(
            Connection c, List<IncidentGrouping.Flagged> flagged, double gapSeconds) throws SQLException {
        double earliest =
                flagged.stream().mapToDouble(IncidentGrouping.Flagged::ts).min().orElseThrow();
        List<IncidentGrouping.Span> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id, host, first_seen, last_seen FROM " + TABLE + " WHERE last_seen >= ?")) {
            ps.setDouble(1, earliest - gapSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IncidentGrouping.Span(
                            rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4)));
                }
            }
        }
        return out;
    }

    /** What a run's flows add to one incident. */
    private static final class Added {
        final String host;
        double firstSeen = Double.POSITIVE_INFINITY;
        double lastSeen = Double.NEGATIVE_INFINITY;
        long flows;
        double maxScore = Double.NEGATIVE_INFINITY;
        double scoreSum;

        Added(String host) {
            this.host = host;
        }

        void add(Unassigned f) {
            firstSeen = Math.min(firstSeen, f.flagged().ts());
            lastSeen = Math.max(lastSeen, f.flagged().ts());
            flows++;
            maxScore = Math.max(maxScore, f.score());
            scoreSum += f.score();
        }
    }

    /**
     * Adds the flows to their incidents (new ones start at revision 1): counts, span and scores to the incident's
     * row, each trait's flows to {@code incident_traits}, whose distinct values then give the peers, ports, model
     * versions and families (the most frequent first).
     */
    private static void add(Connection c, List<Unassigned> flows, Map<String, String> incidentOf) throws SQLException {
        Map<String, Added> added = new LinkedHashMap<>();
        Map<List<String>, Long> traits = new LinkedHashMap<>();
        for (Unassigned f : flows) {
            String id = incidentOf.get(f.flagged().uid());
            added.computeIfAbsent(id, k -> new Added(f.flagged().host())).add(f);
            f.traits().forEach((t, v) -> traits.merge(List.of(id, t.name(), v), 1L, Long::sum));
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE incidents_added (id VARCHAR, host VARCHAR, first_seen DOUBLE, "
                    + "last_seen DOUBLE, flows BIGINT, max_score DOUBLE, score_sum DOUBLE)");
            st.execute("CREATE OR REPLACE TEMP TABLE traits_added (" + TRAITS_DEFINITION + ")");
            DuckDBConnection duck = (DuckDBConnection) c;
            try (DuckDBAppender app = duck.createAppender("temp", "main", "incidents_added")) {
                for (var e : added.entrySet()) {
                    Added a = e.getValue();
                    app.beginRow()
                            .append(e.getKey())
                            .append(a.host)
                            .append(a.firstSeen)
                            .append(a.lastSeen)
                            .append(a.flows)
                            .append(a.maxScore)
                            .append(a.scoreSum)
                            .endRow();
                }
                app.flush();
            }
            try (DuckDBAppender app = duck.createAppender("temp", "main", "traits_added")) {
                for (var e : traits.entrySet()) {
                    List<String> key = e.getKey();
                    app.beginRow()
                            .append(key.get(0))
                            .append(key.get(1))
                            .append(key.get(2))
                            .append(e.getValue())
                            .endRow();
                }
                app.flush();
            }
            st.execute("INSERT INTO " + TRAITS + " SELECT * FROM temp.traits_added ON CONFLICT "
                    + "(incident_id, kind, value) DO UPDATE SET flows = " + TRAITS + ".flows + excluded.flows");
            // In DO UPDATE, the incident's own columns are its values before this run's flows.
            st.execute("INSERT INTO " + TABLE + " (id, host, first_seen, last_seen, flows, peers, ports, max_score, "
                    + "mean_score, model_versions, status, revision, updated_at, families) SELECT a.id, a.host, "
                    + "a.first_seen, a.last_seen, a.flows, t.peers, t.ports, a.max_score, a.score_sum / a.flows, "
                    + "t.models, '" + Incident.NEW + "', 1, now(), t.families FROM temp.incidents_added a JOIN ("
                    + "SELECT incident_id, count(*) FILTER (WHERE kind = '" + Trait.peer + "') AS peers, "
                    + "count(*) FILTER (WHERE kind = '" + Trait.port + "') AS ports, "
                    + "string_agg(value, ',' ORDER BY value) FILTER (WHERE kind = '" + Trait.model + "') AS models, "
                    + "string_agg(value, ',' ORDER BY flows DESC, value) FILTER (WHERE kind = '" + Trait.family
                    + "') AS families FROM " + TRAITS + " WHERE incident_id IN (SELECT id FROM temp.incidents_added) "
                    + "GROUP BY incident_id) t ON t.incident_id = a.id "
                    + "ON CONFLICT (id) DO UPDATE SET "
                    + "first_seen = least(" + TABLE + ".first_seen, excluded.first_seen), "
                    + "last_seen = greatest(" + TABLE + ".last_seen, excluded.last_seen), "
                    + "mean_score = (" + TABLE + ".mean_score * " + TABLE + ".flows + excluded.mean_score * "
                    + "excluded.flows) / (" + TABLE + ".flows + excluded.flows), "
                    + "flows = " + TABLE + ".flows + excluded.flows, peers = excluded.peers, ports = excluded.ports, "
                    + "max_score = greatest(" + TABLE + ".max_score, excluded.max_score), "
                    + "model_versions = excluded.model_versions, families = excluded.families, "
                    + "status = '" + Incident.ONGOING + "', revision = " + TABLE + ".revision + 1, "
                    + "updated_at = excluded.updated_at");
            st.execute("DROP TABLE temp.incidents_added");
            st.execute("DROP TABLE temp.traits_added");
        }
    }

    /**
     * Creates the incident tables a file lacks. A file whose incidents predate {@code incident_traits} gets them
     * from the flows its incidents still hold (one pass, when the table is created).
     */
    static void migrate(Statement st) throws SQLException {
        st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (" + DEFINITION + ")");
        st.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS " + ADDED_COLUMNS);
        st.execute("CREATE TABLE IF NOT EXISTS " + FLOWS + " (" + FLOWS_DEFINITION + ")");
        boolean hadTraits;
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' "
                + "AND table_name = '" + TRAITS + "'")) {
            rs.next();
            hadTraits = rs.getLong(1) > 0;
        }
        st.execute("CREATE TABLE IF NOT EXISTS " + TRAITS + " (" + TRAITS_DEFINITION + ")");
        if (hadTraits) return;
        for (Trait t : Trait.values()) {
            st.execute("INSERT INTO " + TRAITS + " SELECT i.incident_id, '" + t + "', " + t.column + ", count(*) FROM "
                    + FLOWS + " i JOIN " + HotStore.TABLE + " f USING (uid) WHERE " + t.column
                    + " IS NOT NULL GROUP BY ALL");
        }
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.asList(commaSeparated.split(","));
    }

    private static List<Incident> read(PreparedStatement ps) throws SQLException {
        List<Incident> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Incident(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getDouble(3),
                        rs.getDouble(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getDouble(8),
                        rs.getDouble(9),
                        list(rs.getString(13)),
                        list(rs.getString(10)),
                        rs.getString(11),
                        rs.getInt(12)));
            }
        }
        return out;
    }
}
