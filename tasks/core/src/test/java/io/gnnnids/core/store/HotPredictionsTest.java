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
    void contextIsTheRestOfTheBatchsWindowsFromThePartItStartsIn() throws Exception {
        // Windows of 10 s: 1000-1009 holds A0-A4 and, at the same second as A2, A1x and A3x ((ts, uid) order puts
        // A2 between them); 1010-1019 holds B0-B2; 1020-1029 holds C0.
        List<Flow> flows = new ArrayList<>(TestFlows.flows("A", 5, 1000));
        flows.add(TestFlows.flow("A1x", 1002, 7));
        flows.add(TestFlows.flow("A3x", 1002, 9));
        flows.addAll(TestFlows.flows("B", 3, 1010));
        flows.add(TestFlows.flow("C0", 1020, 0));
        try (HotStore hot = open()) {
            HotBatches.insert(hot, "b1", TestFlows.write(dir.resolve("b1.parquet"), flows));
            HotPredictions.write(hot, List.of("A0", "A1", "A1x"), new float[3], 0.5, "1");
            List<Flow> batch = HotPredictions.unpredicted(hot, 5);
            assertEquals(List.of("A2", "A3x", "A3", "A4", "B0"), uids(batch));
            Flow last = batch.get(batch.size() - 1);

            assertEquals(
                    List.of("A0", "A1", "A1x", "B1", "B2"),
                    uids(HotPredictions.context(hot, 10, 200_000, 1000, 1020, last)),
                    "the scored flows before the batch in its first window, the waiting ones after it in its last");
            // Parts of 2 flows: A2 is the fourth flow of its window, so its part starts at the third (A1x); B0 is
            // the first of its window, and its part ends with B1: B2's part holds no flow of the batch.
            assertEquals(List.of("A1x", "B1"), uids(HotPredictions.context(hot, 10, 2, 1000, 1020, last)));
        }
    }

    private static List<String> uids(List<Flow> flows) {
        return flows.stream().map(Flow::uid).toList();
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
            assertEquals(List.of("C0", "C2"), uids(HotPredictions.unpredicted(hot, 2)));
            // A re-run, or another model version scoring the same flows, changes nothing: not the prediction, the
            // family or the explanation.
            assertEquals(
                    0,
                    HotPredictions.write(
                            hot,
                            List.of("C1", "C3"),
                            new float[] {0.1f, 0.9f},
                            0.5,
                            "8",
                            new String[] {null, "PartOfAHorizontalPortScan"},
                            new String[] {null, why}));
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
