package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold store layout over each object store. */
abstract class ColdStoreContract {

    /** 2024-05-01T23:59:58Z: a batch starting here crosses midnight UTC after two flows. */
    static final double BEFORE_MIDNIGHT =
            LocalDate.of(2024, 5, 1).atTime(23, 59, 58).toEpochSecond(ZoneOffset.UTC);

    @TempDir
    Path dir;

    abstract ObjectStore store();

    private Path batch(List<Flow> flows) throws Exception {
        return TestFlows.write(dir.resolve("batch.parquet"), flows);
    }

    @Test
    void splitsABatchByUtcDayAcrossMidnight() throws Exception {
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            List<ColdObject> objects = cold.writeBatch(
                    "b1", batch(TestFlows.flows("C", 5, BEFORE_MIDNIGHT)), Set.of(), dir.resolve("scratch"));

            assertEquals(
                    List.of("2024-05-01", "2024-05-02"),
                    objects.stream().map(ColdObject::date).toList());
            assertEquals(
                    List.of("date=2024-05-01/b1.parquet", "date=2024-05-02/b1.parquet"),
                    objects.stream().map(ColdObject::key).toList());
            assertEquals(List.of(2L, 3L), objects.stream().map(ColdObject::rows).toList());
            assertEquals(s.uri("date=2024-05-02/b1.parquet"), objects.get(1).uri());
            assertTrue(objects.get(0).bytes() > 0);
            assertEquals(List.of("C0", "C1"), uids(cold, "date=2024-05-01/b1.parquet"));
            assertEquals(List.of("C2", "C3", "C4"), uids(cold, "date=2024-05-02/b1.parquet"));
            assertEquals(
                    List.of("date=2024-05-01/b1.parquet", "date=2024-05-02/b1.parquet"),
                    cold.keysForDates(LocalDate.of(2024, 4, 30), LocalDate.of(2024, 5, 3)));
            assertEquals(
                    List.of("date=2024-05-02/b1.parquet"),
                    cold.keysForDates(LocalDate.of(2024, 5, 2), LocalDate.of(2024, 5, 2)));
        }
    }

    @Test
    void storesABatchOfOneDayAsItIs() throws Exception {
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            Path file = batch(TestFlows.flows("C", 5, BEFORE_MIDNIGHT - 3600));
            List<ColdObject> objects = List.of(cold.storeAsItIs("b1", file, LocalDate.of(2024, 5, 1), 5));

            assertEquals(
                    List.of(new ColdObject(
                            "2024-05-01",
                            "date=2024-05-01/b1.parquet",
                            s.uri("date=2024-05-01/b1.parquet"),
                            5,
                            Files.size(file))),
                    objects);
            assertTrue(
                    java.util.Arrays.equals(
                            Files.readAllBytes(file), bytes(cold, objects.get(0).key())),
                    "the staged file itself: nothing decoded and encoded again");
            assertEquals(
                    List.of("C0", "C1", "C2", "C3", "C4"),
                    uids(cold, objects.get(0).key()));
        }
    }

    @Test
    void keepsEveryFlowColumnWithItsType() throws Exception {
        List<Flow> flows = TestFlows.flows("C", 4, 1_714_600_000.25);
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            ColdObject o = cold.writeBatch("b1", batch(flows), Set.of(), dir.resolve("scratch"))
                    .get(0);
            Path file = cold.fetch(o.key(), dir.resolve("cache"));
            try (Connection db = DuckDb.inMemory();
                    Statement st = db.createStatement();
                    // DuckDB would add a "date" column from the date=... folder unless told not to.
                    ResultSet rs = st.executeQuery("SELECT * FROM read_parquet(" + DuckDb.literal(file)
                            + ", hive_partitioning = false) ORDER BY ts")) {
                assertEquals(FlowColumn.ALL.size(), rs.getMetaData().getColumnCount());
                for (Flow f : flows) {
                    rs.next();
                    for (FlowColumn c : FlowColumn.ALL) assertEquals(c.get(f), rs.getObject(c.column), c.column);
                }
            }
        }
    }

    @Test
    void leavesOutExcludedUidsAndRepeatsInsideTheBatch() throws Exception {
        List<Flow> flows = new ArrayList<>(TestFlows.flows("C", 6, 1_714_600_000));
        flows.add(TestFlows.flow("C2", 1_714_600_100, 2));
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            List<ColdObject> objects = cold.writeBatch("b1", batch(flows), Set.of("C1", "C4"), dir.resolve("scratch"));
            assertEquals(1, objects.size());
            assertEquals(4, objects.get(0).rows());
            assertEquals(
                    List.of("C0", "C2", "C3", "C5"), uids(cold, objects.get(0).key()));
        }
    }

    @Test
    void rerunningABatchRewritesTheSameObjects() throws Exception {
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            Path file = batch(TestFlows.flows("C", 5, BEFORE_MIDNIGHT));
            List<ColdObject> first = cold.writeBatch("b1", file, Set.of(), dir.resolve("scratch"));
            byte[] firstBytes = bytes(cold, first.get(1).key());
            List<ColdObject> again = cold.writeBatch("b1", file, Set.of(), dir.resolve("scratch"));

            assertEquals(first, again);
            assertEquals(List.of("date=2024-05-01/b1.parquet", "date=2024-05-02/b1.parquet"), s.list("date="));
            assertEquals(List.of("C2", "C3", "C4"), uids(cold, again.get(1).key()));
            assertTrue(
                    java.util.Arrays.equals(firstBytes, bytes(cold, again.get(1).key())), "same contents");
        }
    }

    @Test
    void dayWhoseFlowsAreAllExcludedOnARerunLosesItsStaleObject() throws Exception {
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            Path file = batch(TestFlows.flows("C", 5, BEFORE_MIDNIGHT));
            cold.writeBatch("b1", file, Set.of(), dir.resolve("scratch"));
            List<ColdObject> again = cold.writeBatch("b1", file, Set.of("C0", "C1"), dir.resolve("scratch"));
            assertEquals(
                    List.of("2024-05-02"), again.stream().map(ColdObject::date).toList());
            assertEquals(List.of("date=2024-05-02/b1.parquet"), s.list("date="));
        }
    }

    @Test
    void fetchesTheObjectsOfADateRangeAsLocalFiles() throws Exception {
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            cold.writeBatch("b1", batch(TestFlows.flows("C", 5, BEFORE_MIDNIGHT)), Set.of(), dir.resolve("scratch"));
            cold.writeBatch(
                    "b2",
                    TestFlows.write(dir.resolve("b2.parquet"), TestFlows.flows("D", 3, BEFORE_MIDNIGHT + 86_400)),
                    Set.of(),
                    dir.resolve("scratch"));
            List<Path> files = cold.fetch(LocalDate.of(2024, 5, 2), LocalDate.of(2024, 5, 3), dir.resolve("cache"));
            assertEquals(3, files.size());
            try (Connection db = DuckDb.inMemory();
                    Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet(["
                            + String.join(
                                    ", ", files.stream().map(DuckDb::literal).toList()) + "])")) {
                rs.next();
                assertEquals(3 + 3, rs.getLong(1), "C2..C4 on May 2nd, D0..D1 on May 2nd and D2 on May 3rd");
            }
        }
    }

    @Test
    void deletesTheObjectsOfTheDaysBeforeAGivenDay() throws Exception {
        try (ObjectStore s = store()) {
            ColdStore cold = new ColdStore(s);
            cold.writeBatch("b1", batch(TestFlows.flows("C", 5, BEFORE_MIDNIGHT)), Set.of(), dir.resolve("scratch"));
            cold.writeBatch(
                    "b2",
                    TestFlows.write(dir.resolve("b2.parquet"), TestFlows.flows("D", 3, BEFORE_MIDNIGHT + 86_400)),
                    Set.of(),
                    dir.resolve("scratch"));
            s.put("date=2024-04-01/notes/readme.txt", TestFlows.write(dir.resolve("other.parquet"), List.of()));

            assertEquals(List.of(), cold.deleteDaysBefore(LocalDate.of(2024, 5, 1)));
            assertEquals(
                    List.of("date=2024-05-01/b1.parquet", "date=2024-05-02/b1.parquet", "date=2024-05-02/b2.parquet"),
                    cold.deleteDaysBefore(LocalDate.of(2024, 5, 3)));
            assertEquals(
                    List.of("date=2024-04-01/notes/readme.txt", "date=2024-05-03/b2.parquet"),
                    s.list("date="),
                    "objects outside the daily layout are left alone");
        }
    }

    private List<String> uids(ColdStore cold, String key) throws Exception {
        Path file = cold.fetch(key, Files.createTempDirectory(dir, "cold-read"));
        List<String> uids = new ArrayList<>();
        try (Connection db = DuckDb.inMemory();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT uid FROM read_parquet(" + DuckDb.literal(file) + ")")) {
            while (rs.next()) uids.add(rs.getString(1));
        }
        return uids;
    }

    private byte[] bytes(ColdStore cold, String key) throws Exception {
        return Files.readAllBytes(cold.fetch(key, Files.createTempDirectory(dir, "bytes")));
    }
}
