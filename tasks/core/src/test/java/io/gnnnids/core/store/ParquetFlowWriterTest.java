package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetFlowWriterTest {

    @TempDir
    Path dir;

    @Test
    void duckDbReadsBackEveryColumnWithItsTypeAndNulls() throws Exception {
        List<Flow> flows = TestFlows.flows("C", 10, 1_700_000_000.123456);
        Path file = TestFlows.write(dir.resolve("batch.parquet"), flows);

        try (Connection db = DuckDb.inMemory();
                Statement st = db.createStatement()) {
            Map<String, String> types = new HashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
            assertEquals(FlowColumn.ALL.size(), types.size());
            for (FlowColumn c : FlowColumn.ALL) {
                assertEquals(c.type.sql, types.get(c.column), c.column);
            }

            try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
                int i = 0;
                while (rs.next()) {
                    Flow expected = flows.get(i++);
                    for (FlowColumn c : FlowColumn.ALL) {
                        Object want = c.get(expected);
                        Object got = rs.getObject(c.column);
                        if (want == null) {
                            assertNull(got, c.column);
                        } else {
                            assertEquals(want, got, c.column + " of " + expected.uid());
                        }
                    }
                }
                assertEquals(flows.size(), i);
            }
        }
    }

    @Test
    void flowsComeBackAsTheyWereWrittenChunkAfterChunk() throws Exception {
        // More rows than one of DuckDB's chunks (2,048), every optional field null in every other flow.
        List<Flow> flows = TestFlows.flows("C", 5_000, 1_700_000_000.123456);
        Path file = TestFlows.write(dir.resolve("batch.parquet"), flows);

        assertEquals(flows, ParquetFlowReader.read(List.of(file), false));
    }

    @Test
    void countsRowsAndShowsTheFileOnlyAfterClose() throws Exception {
        Path file = dir.resolve("out/batch.parquet");
        try (ParquetFlowWriter w = new ParquetFlowWriter(file)) {
            TestFlows.flows("C", 3, 1e9).forEach(w::write);
            assertEquals(3, w.count());
            assertFalse(Files.exists(file), "the final name appears only when the file is complete");
        }
        assertTrue(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("out/batch.parquet.tmp")));
    }

    @Test
    void listsTheUtcDaysOfItsFlowsInOrder() throws Exception {
        double midnight = java.time.LocalDate.of(2024, 5, 2)
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toEpochSecond();
        try (ParquetFlowWriter w = new ParquetFlowWriter(dir.resolve("days.parquet"))) {
            w.write(TestFlows.flow("C1", midnight - 0.0004, 0)); // still 2024-05-01 at millisecond precision
            w.write(TestFlows.flow("C2", midnight, 0));
            w.write(TestFlows.flow("C3", midnight - 3 * 86_400, 0)); // late, out of order
            w.write(TestFlows.flow("C4", midnight + 10, 0));
            assertEquals(
                    List.of(
                            java.time.LocalDate.of(2024, 4, 29),
                            java.time.LocalDate.of(2024, 5, 1),
                            java.time.LocalDate.of(2024, 5, 2)),
                    w.days());
        }
    }

    @Test
    void abortLeavesNoFile() throws Exception {
        Path file = dir.resolve("batch.parquet");
        ParquetFlowWriter w = new ParquetFlowWriter(file);
        TestFlows.flows("C", 3, 1e9).forEach(w::write);
        w.abort();
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void rejectsFlowWithoutRequiredField() throws Exception {
        Flow f = TestFlows.flow("C1", 1e9, 0);
        Flow noHost = new Flow(
                f.ts(),
                f.uid(),
                null,
                f.origP(),
                f.respH(),
                f.respP(),
                f.proto(),
                f.service(),
                f.duration(),
                f.origBytes(),
                f.respBytes(),
                f.connState(),
                f.localOrig(),
                f.localResp(),
                f.missedBytes(),
                f.history(),
                f.origPkts(),
                f.origIpBytes(),
                f.respPkts(),
                f.respIpBytes(),
                f.label(),
                f.detailedLabel());
        try (ParquetFlowWriter w = new ParquetFlowWriter(dir.resolve("x.parquet"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(noHost));
            assertTrue(e.getMessage().contains("orig_h"), e.getMessage());
            w.write(f);
            assertEquals(1, w.count());
        }
        try (Connection db = DuckDb.inMemory();
                Statement st = db.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM read_parquet('" + dir.resolve("x.parquet") + "')")) {
            rs.next();
            assertEquals(1, rs.getLong(1), "the flow after the rejected one is written");
        }
    }
}
