package io.gnnnids.core.store;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads flows back from SQL results whose first columns are {@link FlowColumn#sqlColumnList()}, in that order. */
public final class FlowRows {
    private FlowRows() {}

    public static List<Flow> readAll(ResultSet rs) throws SQLException {
        List<Flow> flows = new ArrayList<>();
        while (rs.next()) flows.add(read(rs));
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
}
