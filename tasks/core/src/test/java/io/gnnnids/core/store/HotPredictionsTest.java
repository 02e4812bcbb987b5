package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.flow.Flow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotPredictionsTest extends HotStoreFixture {

    @Test
    void contextIsReadInTsAndUidOrderFromARank() throws Exception {
        List<Flow> flows = new ArrayList<>(TestFlows.flows("A", 5, 1000));
        // Two flows at the same second as A2: (ts, uid) order puts A2 between them.
        flows.add(TestFlows.flow("A1x", 1002, 7));
        flows.add(TestFlows.flow("A3x", 1002, 9));
        try (HotStore hot = open()) {
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            assertEquals(
                    List.of("A0", "A1", "A1x", "A2", "A3x", "A3", "A4"),
                    HotPredictions.between(hot, 1000, 1005, 0).stream()
                            .map(Flow::uid)
                            .toList());
            assertEquals(
                    List.of("A2", "A3x", "A3"),
                    HotPredictions.between(hot, 1000, 1004, 3).stream()
                            .map(Flow::uid)
                            .toList());
            assertEquals(3, HotPredictions.rank(hot, 1000, TestFlows.flow("A2", 1002, 2)));
            assertEquals(2, HotPredictions.rank(hot, 1001, TestFlows.flow("A2", 1002, 2)));
            assertEquals(0, HotPredictions.rank(hot, 1000, TestFlows.flow("A0", 1000, 0)));
        }
    }

    @Test
    void waitingFlowsComeOldestFirstAndAPredictionIsWrittenOnlyOnce() throws Exception {
        try (HotStore hot = open()) {
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), TestFlows.flows("C", 4, 1e9)));
            String why = "{\"reasons\":[{\"group\":\"source's fan-out\"}]}";
            assertEquals(
                    2,
                    HotPredictions.write(
                            hot,
                            List.of("C1", "C3"),
                            new float[] {0.9f, 0.2f},
                            0.5,
                            "7",
                            new String[] {"DDoS", null},
                            new String[] {why, null}));
            assertEquals(
                    List.of("C0", "C2"),
                    HotPredictions.unpredicted(hot, 2).stream().map(Flow::uid).toList());
            // A re-run, or another model version scoring the same flows, changes nothing.
            assertEquals(0, HotPredictions.write(hot, List.of("C1", "C3"), new float[] {0.1f, 0.9f}, 0.5, "8"));
            try (Statement st = hot.connection().createStatement();
                    ResultSet rs = st.executeQuery("SELECT prediction, score, model_version, predicted_family, "
                            + "explanation, predicted_at IS NOT NULL FROM flows WHERE uid IN ('C1', 'C3') "
                            + "ORDER BY uid")) {
                rs.next();
                assertEquals(List.of(1, "7", "DDoS", why, true), row(rs));
                assertEquals(0.9, rs.getDouble(2), 1e-6);
                rs.next();
                assertEquals(Arrays.asList(0, "7", null, null, true), row(rs));
                assertEquals(0.2, rs.getDouble(2), 1e-6);
            }
        }
    }

    /** Prediction, model version, family, explanation and whether predicted_at is set. */
    private static List<Object> row(ResultSet rs) throws SQLException {
        return Arrays.asList(rs.getInt(1), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6));
    }
}
