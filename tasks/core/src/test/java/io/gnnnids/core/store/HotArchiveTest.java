package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotArchiveTest extends HotStoreFixture {

    @Test
    void marksOnlyFlowsPastRetentionThatHaveAPrediction() throws Exception {
        try (HotStore hot = open();
                Statement st = hot.connection().createStatement()) {
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 6, 1e9)));
            TestFlows.predict(hot, 0.75f, "C0", "C1", "C2", "C3");
            st.execute("UPDATE flows SET ingested_at = ingested_at - INTERVAL 2 DAY WHERE uid IN ('C0', 'C1', 'C4')");

            assertTrue(HotArchive.pendingRun(hot).isEmpty());
            assertEquals(2, HotArchive.mark(hot, "a1", Duration.ofHours(24)), "C0 and C1; C4 still waits for infer");
            assertEquals(1, HotArchive.unpredictedOlderThan(hot, Duration.ofHours(24)));
            assertEquals(java.util.Optional.of("a1"), HotArchive.pendingRun(hot));
            assertEquals(0, HotArchive.mark(hot, "a2", Duration.ofHours(24)), "marked flows belong to their run");
            assertEquals(2, HotArchive.mark(hot, "a2", Duration.ZERO), "C2 and C3, just stored");
        }
    }

    @Test
    void exportsMarkedFlowsByDayWithPredictionsThenDeletesExactlyThem() throws Exception {
        List<Flow> flows = TestFlows.flows("C", 5, ColdStoreContract.BEFORE_MIDNIGHT);
        try (HotStore hot = open()) {
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            TestFlows.predict(hot, 0.75f, "C0", "C1", "C2", "C3", "C4");
            assertEquals(5, HotArchive.mark(hot, "a1", Duration.ZERO));

            List<DayFile> files = HotArchive.export(hot, "a1", dir.resolve("export"));
            assertEquals(
                    List.of(java.time.LocalDate.of(2024, 5, 1), java.time.LocalDate.of(2024, 5, 2)),
                    files.stream().map(DayFile::day).toList());
            assertEquals(List.of(2L, 3L), files.stream().map(DayFile::rows).toList());
            try (java.sql.Connection db = DuckDb.inMemory();
                    Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM read_parquet("
                            + DuckDb.literal(files.get(1).file()) + ") ORDER BY ts")) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++)
                    cols.add(rs.getMetaData().getColumnName(i));
                assertTrue(
                        cols.containsAll(List.of(
                                "batch_id", "ingested_at", "prediction", "score", "model_version", "predicted_at")),
                        cols.toString());
                assertTrue(!cols.contains("archive_id"), cols.toString());
                for (Flow f : flows.subList(2, 5)) {
                    rs.next();
                    for (FlowColumn c : FlowColumn.ALL) assertEquals(c.get(f), rs.getObject(c.column), c.column);
                    assertEquals("b1", rs.getString("batch_id"));
                    assertEquals("7", rs.getString("model_version"));
                    assertEquals(0.75, rs.getDouble("score"), 1e-6);
                    assertEquals(1, rs.getInt("prediction"));
                }
            }

            StepFailure e = assertThrows(StepFailure.class, () -> HotArchive.deleteArchived(hot, "a1", 4));
            assertTrue(e.getMessage().contains("nothing was deleted"), e.getMessage());
            assertEquals(5, hot.count());
            assertEquals(5, HotArchive.deleteArchived(hot, "a1", 5));
            assertEquals(0, hot.count());
            assertTrue(HotArchive.pendingRun(hot).isEmpty());
        }
    }
}
