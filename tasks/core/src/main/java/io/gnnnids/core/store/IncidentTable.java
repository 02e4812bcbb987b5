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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Incidents in the hot store: table {@code incidents}, one row per incident with its figures and status, and
 * {@code incident_flows}, which incident each flagged flow belongs to. {@link #update} assigns the flagged flows
 * that have no incident yet (so a re-run changes nothing) and closes incidents whose host has been quiet for the
 * gap, in one transaction. Time is the traffic's own: the newest flow's ts, so replayed or late traffic groups
 * the same way as live traffic.
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
            List<IncidentGrouping.Flagged> flagged = unassigned(c);
            IncidentGrouping.Result grouped = IncidentGrouping.group(
                    flagged.isEmpty() ? List.of() : spansSince(c, flagged, gapSeconds), flagged, gapSeconds);
            if (!flagged.isEmpty()) {
                try (DuckDBAppender app =
                        ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA, FLOWS)) {
                    for (var e : grouped.incidentOf().entrySet())
                        app.beginRow().append(e.getKey()).append(e.getValue()).endRow();
                    app.flush(); // close() swallows errors; flush() reports them
                }
                Set<String> touched = new HashSet<>(grouped.created());
                touched.addAll(grouped.grown());
                refresh(c, touched);
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

    private static List<IncidentGrouping.Flagged> unassigned(Connection c) throws SQLException {
        List<IncidentGrouping.Flagged> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT uid, orig_h, ts FROM "
                        + HotStore.TABLE + " f WHERE prediction = 1 AND NOT EXISTS (SELECT 1 FROM " + FLOWS
                        + " i WHERE i.uid = f.uid)")) {
            while (rs.next()) out.add(new IncidentGrouping.Flagged(rs.getString(1), rs.getString(2), rs.getDouble(3)));
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

    /** Recomputes the touched incidents' figures from their flows; new ones start at revision 1. */
    private static void refresh(Connection c, Set<String> ids) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE incidents_touched (id VARCHAR)");
            try (DuckDBAppender app = ((DuckDBConnection) c).createAppender("temp", "main", "incidents_touched")) {
                for (String id : ids) app.beginRow().append(id).endRow();
                app.flush();
            }
            st.execute("INSERT INTO " + TABLE + " (id, host, first_seen, last_seen, flows, peers, ports, max_score, "
                    + "mean_score, model_versions, status, revision, updated_at) SELECT i.incident_id, "
                    + "any_value(f.orig_h), min(f.ts), max(f.ts), "
                    + "count(*), count(DISTINCT f.resp_h), count(DISTINCT f.resp_p), max(f.score), avg(f.score), "
                    + "string_agg(DISTINCT f.model_version, ',' ORDER BY f.model_version), '" + Incident.NEW
                    + "', 1, now() "
                    + "FROM " + FLOWS + " i JOIN " + HotStore.TABLE + " f ON f.uid = i.uid "
                    + "WHERE i.incident_id IN (SELECT id FROM incidents_touched) GROUP BY i.incident_id "
                    + "ON CONFLICT (id) DO UPDATE SET first_seen = excluded.first_seen, last_seen = "
                    + "excluded.last_seen, "
                    + "flows = excluded.flows, peers = excluded.peers, ports = excluded.ports, "
                    + "max_score = excluded.max_score, mean_score = excluded.mean_score, "
                    + "model_versions = excluded.model_versions, status = '" + Incident.ONGOING + "', "
                    + "revision = " + TABLE + ".revision + 1, updated_at = excluded.updated_at");
            // The families named for an incident's flows, the most frequent first.
            st.execute(
                    "UPDATE " + TABLE + " SET families = t.families FROM (SELECT incident_id, string_agg(family, ',' "
                            + "ORDER BY n DESC, family) AS families FROM (SELECT i.incident_id, f.predicted_family AS "
                            + "family, "
                            + "count(*) AS n FROM " + FLOWS + " i JOIN " + HotStore.TABLE + " f ON f.uid = i.uid "
                            + "WHERE i.incident_id IN (SELECT id FROM incidents_touched) AND f.predicted_family IS "
                            + "NOT NULL "
                            + "GROUP BY ALL) GROUP BY incident_id) t WHERE " + TABLE + ".id = t.incident_id");
            st.execute("DROP TABLE incidents_touched");
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
