package io.gnnnids.core.store;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.DuckDBReadableVector;

/** Reads flows back from SQL results whose first columns are {@link FlowColumn#sqlColumnList()}, in that order. */
public final class FlowRows {
    private FlowRows() {}

    /**
     * Every flow a DuckDB query returns, read a chunk of rows at a time (DuckDB's chunked results) rather than
     * through JDBC's row-at-a-time {@link ResultSet}: that one turns each string into a Java string with a call of
     * its own, and 500,000 flows took 5.5 s to read, against under 1 s by chunks. {@code params} fill the query's
     * {@code ?} in order.
     */
    public static List<Flow> query(Connection c, String sql, Object... params) throws SQLException {
        List<Flow> flows = new ArrayList<>();
        try (DuckDBPreparedStatement ps = c.unwrap(DuckDBConnection.class).prepare(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            Map<String, String> seen = new HashMap<>();
            try (DuckDBChunkedResult result = ps.query()) {
                while (result.nextChunk()) {
                    DuckDBDataChunkReader chunk = result.chunk();
                    Chunk rows = new Chunk(chunk, seen);
                    for (long row = 0; row < chunk.rowCount(); row++) flows.add(rows.flow(row));
                }
            }
        }
        return flows;
    }

    /** The flow in the current row. */
    public static Flow read(ResultSet rs) throws SQLException {
        return new Flow(
                rs.getDouble(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                rs.getString(5),
                rs.getInt(6),
                rs.getString(7),
                rs.getString(8),
                dbl(rs, 9),
                lng(rs, 10),
                lng(rs, 11),
                rs.getString(12),
                bool(rs, 13),
                bool(rs, 14),
                lng(rs, 15),
                rs.getString(16),
                lng(rs, 17),
                lng(rs, 18),
                lng(rs, 19),
                lng(rs, 20),
                rs.getString(21),
                rs.getString(22));
    }

    private static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Long lng(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Boolean bool(ResultSet rs, int i) throws SQLException {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? null : v;
    }

    /**
     * The flow columns of one chunk, in {@link FlowColumn} order. Strings that repeat from flow to flow (addresses,
     * protocol, service, state, history, labels) are kept once per query: a batch of a million flows holds a few
     * thousand distinct ones, and a copy per flow was most of the batch's memory.
     */
    private static final class Chunk {
        private final DuckDBReadableVector[] columns = new DuckDBReadableVector[FlowColumn.ALL.size()];
        private final Map<String, String> seen;

        Chunk(DuckDBDataChunkReader chunk, Map<String, String> seen) {
            for (int i = 0; i < columns.length; i++) columns[i] = chunk.vector(i);
            this.seen = seen;
        }

        Flow flow(long row) {
            return new Flow(
                    columns[0].getDouble(row),
                    str(1, row),
                    repeated(2, row),
                    columns[3].getInt(row),
                    repeated(4, row),
                    columns[5].getInt(row),
                    repeated(6, row),
                    repeated(7, row),
                    columns[8].isNull(row) ? null : columns[8].getDouble(row),
                    lng(9, row),
                    lng(10, row),
                    repeated(11, row),
                    bool(12, row),
                    bool(13, row),
                    lng(14, row),
                    repeated(15, row),
                    lng(16, row),
                    lng(17, row),
                    lng(18, row),
                    lng(19, row),
                    repeated(20, row),
                    repeated(21, row));
        }

        private String str(int column, long row) {
            return columns[column].isNull(row) ? null : columns[column].getString(row);
        }

        private String repeated(int column, long row) {
            String s = str(column, row);
            return s == null ? null : seen.computeIfAbsent(s, k -> k);
        }

        private Long lng(int column, long row) {
            return columns[column].isNull(row) ? null : columns[column].getLong(row);
        }

        private Boolean bool(int column, long row) {
            return columns[column].isNull(row) ? null : columns[column].getBoolean(row);
        }
    }
}
