package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotBatchesTest extends HotStoreFixture {

    @Test
    void insertsBatchWithPredictionsUnsetAndFlowValuesIntact() throws Exception {
        List<Flow> flows = TestFlows.flows("C", 20, 1_700_000_000.5);
        try (HotStore hot = open()) {
            HotWriteResult r = HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            assertEquals(new HotWriteResult(20, 20, 0, List.of()), r);
            try (Statement st = hot.connection().createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM flows WHERE uid = 'C4'")) {
                rs.next();
                Flow c4 = flows.get(4);
                for (FlowColumn c : FlowColumn.ALL) assertEquals(c.get(c4), rs.getObject(c.column), c.column);
                assertEquals("b1", rs.getString("batch_id"));
                assertTrue(rs.getTimestamp("ingested_at") != null);
                assertNull(rs.getObject("prediction"));
                assertNull(rs.getObject("predicted_at"));
            }
        }
    }

    @Test
    void rerunningTheSameBatchAddsNothingAndReportsTheSameCounts() throws Exception {
        Path file = TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 50, 1e9));
        try (HotStore hot = open()) {
            HotWriteResult first = HotBatches.insert(hot, "b1", file);
            HotWriteResult again = HotBatches.insert(hot, "b1", file);
            assertEquals(first, again);
            assertEquals(new HotWriteResult(50, 50, 0, List.of()), again);
            assertEquals(50, hot.count());
        }
    }

    @Test
    void reportsUidsAlreadyStoredByAnotherBatch() throws Exception {
        try (HotStore hot = open()) {
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 10, 1e9)));
            List<Flow> second = new ArrayList<>(TestFlows.flows("D", 5, 2e9));
            second.add(TestFlows.flow("C3", 3e9, 3));
            second.add(TestFlows.flow("C7", 3e9, 7));
            HotWriteResult r = HotBatches.insert(hot, "b2", TestFlows.write(dir.resolve("b2.parquet"), second));
            assertEquals(new HotWriteResult(7, 5, 2, List.of("C3", "C7")), r);
            assertEquals(15, hot.count());
            assertEquals(1e9 + 3, ts(hot, "C3"), "the stored row is the first one seen");
        }
    }

    @Test
    void keepsTheFirstRowOfAUidRepeatedInsideTheFile() throws Exception {
        List<Flow> flows = new ArrayList<>(TestFlows.flows("C", 4, 1e9));
        flows.add(TestFlows.flow("C1", 5e9, 1));
        flows.add(TestFlows.flow("C1", 6e9, 1));
        try (HotStore hot = open()) {
            Path file = TestFlows.write(dir.resolve("b1.parquet"), flows);
            HotWriteResult r = HotBatches.insert(hot, "b1", file);
            assertEquals(new HotWriteResult(6, 4, 2, List.of()), r);
            assertEquals(1e9 + 1, ts(hot, "C1"));
            assertEquals(r, HotBatches.insert(hot, "b1", file));
        }
    }

    @Test
    void failedInsertLeavesTableUnchanged() throws Exception {
        try (HotStore hot = open()) {
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 3, 1e9)));
            StepFailure e =
                    assertThrows(StepFailure.class, () -> HotBatches.insert(hot, "b2", dir.resolve("missing.parquet")));
            assertTrue(e.getMessage().contains("b2"), e.getMessage());
            assertEquals(3, hot.count());
            assertEquals(
                    new HotWriteResult(2, 2, 0, List.of()),
                    HotBatches.insert(
                            hot, "b3", TestFlows.write(dir.resolve("b3.parquet"), TestFlows.flows("E", 2, 1e9))));
        }
    }

    private static double ts(HotStore hot, String uid) throws SQLException {
        try (Statement st = hot.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT ts FROM flows WHERE uid = '" + uid + "'")) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
