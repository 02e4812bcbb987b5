package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/** Reads flows from local Parquet files (cold or archive partitions) with DuckDB, oldest first. */
public final class ParquetFlowReader {
    private ParquetFlowReader() {}

    /** Every flow of the files, or only those with ground truth, ordered by ts. */
    public static List<Flow> read(List<Path> files, boolean labelledOnly) {
        if (files.isEmpty()) return List.of();
        String sql = "SELECT " + FlowColumn.sqlColumnList() + " FROM " + source(files)
                + (labelledOnly ? " WHERE label IS NOT NULL" : "") + " ORDER BY ts, uid";
        try (Connection c = DuckDb.inMemory()) {
            return FlowRows.query(c, sql);
        } catch (SQLException e) {
            throw new StepFailure(
                    "cannot read flows from " + files.size() + " Parquet file(s) (first " + files.get(0) + "): "
                            + e.getMessage(),
                    e);
        }
    }

    /** Rows in the files. */
    public static long count(List<Path> files) {
        if (files.isEmpty()) return 0;
        try (Connection c = DuckDb.inMemory();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source(files))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StepFailure("cannot count flows in " + files.size() + " Parquet file(s): " + e.getMessage(), e);
        }
    }

    /** The files as one table; Hive partition folders are not turned into columns. */
    private static String source(List<Path> files) {
        return "read_parquet([" + files.stream().map(DuckDb::literal).collect(Collectors.joining(", "))
                + "], hive_partitioning = false, union_by_name = true)";
    }
}
