package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArchiverTest extends HotStoreFixture {

    /** C0..C5 have a prediction, C6 and C7 wait for one. */
    private static final List<String> SCORED = List.of("C0", "C1", "C2", "C3", "C4", "C5");

    private Archiver archiver(Duration retention) {
        return new Archiver(this::open, retention, dir.resolve("work"));
    }

    /** Eight flows, C0 and C1 on 2024-05-01 (UTC) and the rest on 2024-05-02, six of them scored. */
    @BeforeEach
    void fillHotStore() throws Exception {
        try (HotStore hot = open()) {
            HotBatches.insert(
                    hot,
                    "b1",
                    TestFlows.write(
                            dir.resolve("b1.parquet"), TestFlows.flows("C", 8, ColdStoreContract.BEFORE_MIDNIGHT)));
            TestFlows.predict(hot, 0.75f, SCORED.toArray(String[]::new));
        }
        Thread.sleep(5); // stored before "now minus no retention"
    }

    @Test
    void movesScoredFlowsPastRetentionToTheArchiveByDayOnceAndKeepsTheRest() throws Exception {
        try (ObjectStore store = ObjectStores.open(dir.resolve("archive").toString())) {
            Archiver.Result r = archiver(Duration.ZERO).archive(new ColdStore(store));

            assertEquals(List.of(6L, 2L, 2L), List.of(r.archived(), r.waitingForPrediction(), r.hotRowsLeft()));
            assertEquals(1, r.runs().size());
            Archiver.Run run = r.runs().get(0);
            assertTrue(run.id().startsWith("archive-"), run.id());
            assertEquals(
                    List.of("date=2024-05-01/" + run.id() + ".parquet", "date=2024-05-02/" + run.id() + ".parquet"),
                    run.objects().stream().map(ColdObject::key).toList());
            assertEquals(
                    List.of(2L, 4L),
                    run.objects().stream().map(ColdObject::rows).toList());
            assertEquals(SCORED, archivedUids(store));
            assertEquals(List.of("C6", "C7"), hotUids());
            assertTrue(!Files.exists(dir.resolve("work").resolve(run.id())), "the day files are cleared away");

            Archiver.Result again = archiver(Duration.ZERO).archive(new ColdStore(store));
            assertEquals(
                    List.of(0L, 2L, 2L), List.of(again.archived(), again.waitingForPrediction(), again.hotRowsLeft()));
            assertEquals(List.of(), again.runs().get(0).objects());
            assertEquals(SCORED, archivedUids(store), "nothing archived twice");
        }
    }

    @Test
    void flowsStoredWithinTheRetentionStay() throws Exception {
        try (ObjectStore store = ObjectStores.open(dir.resolve("archive").toString())) {
            Archiver.Result r = archiver(Duration.ofDays(1)).archive(new ColdStore(store));
            assertEquals(List.of(0L, 0L, 8L), List.of(r.archived(), r.waitingForPrediction(), r.hotRowsLeft()));
            assertEquals(List.of(), store.list(""));
        }
    }

    @Test
    void finishesARunThatDiedBeforeDeletingUnderItsOwnId() throws Exception {
        try (ObjectStore store = ObjectStores.open(dir.resolve("archive").toString())) {
            // The run died after marking the flows and storing the first day's object.
            try (HotStore hot = open()) {
                HotArchive.mark(hot, "archive-died", Duration.ZERO);
                DayFile first = HotArchive.export(hot, "archive-died", dir.resolve("died"))
                        .get(0);
                new ColdStore(store).storeAsItIs("archive-died", first.file(), first.day(), first.rows());
            }
            Archiver.Result r = archiver(Duration.ZERO).archive(new ColdStore(store));

            assertEquals(6, r.archived());
            assertEquals(
                    List.of("archive-died", 6L),
                    List.of(r.runs().get(0).id(), r.runs().get(0).flows()));
            assertEquals(0, r.runs().get(1).flows(), "the new run finds nothing left");
            assertEquals(
                    List.of("date=2024-05-01/archive-died.parquet", "date=2024-05-02/archive-died.parquet"),
                    store.list("date="));
            assertEquals(SCORED, archivedUids(store));
            assertEquals(List.of("C6", "C7"), hotUids());
        }
    }

    @Test
    void aRunThatCannotStoreItsFilesLeavesTheFlowsMarkedForTheNextRun() throws Exception {
        try (ObjectStore store = ObjectStores.open(dir.resolve("archive").toString())) {
            Path blocker = Files.createFile(dir.resolve("archive").resolve("date=2024-05-01"));
            assertThrows(StepFailure.class, () -> archiver(Duration.ZERO).archive(new ColdStore(store)));
            String failed;
            try (HotStore hot = open()) {
                assertEquals(8, hot.count(), "nothing deleted");
                failed = HotArchive.pendingRun(hot).orElseThrow();
            }
            assertTrue(!Files.exists(dir.resolve("work").resolve(failed)), "the day files are cleared away");

            Files.delete(blocker);
            Archiver.Result r = archiver(Duration.ZERO).archive(new ColdStore(store));
            assertEquals(
                    List.of(failed, 6L),
                    List.of(r.runs().get(0).id(), r.runs().get(0).flows()));
            assertEquals(SCORED, archivedUids(store));
            try (HotStore hot = open()) {
                assertEquals(Optional.empty(), HotArchive.pendingRun(hot));
            }
        }
    }

    @Test
    void expiresTheColdDaysThatEndedMoreThanTheRetentionAgo() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path file = dir.resolve("b1.parquet");
        try (ObjectStore store = ObjectStores.open(dir.resolve("cold").toString())) {
            ColdStore cold = new ColdStore(store);
            for (LocalDate day : List.of(today.minusDays(40), today.minusDays(31), today.minusDays(29), today)) {
                cold.storeAsItIs("b1", file, day, 8);
            }
            assertEquals(
                    List.of(ColdStore.key(today.minusDays(40), "b1"), ColdStore.key(today.minusDays(31), "b1")),
                    Archiver.expireCold(cold, Duration.ofDays(30)));
            assertEquals(
                    List.of(ColdStore.key(today.minusDays(29), "b1"), ColdStore.key(today, "b1")), store.list("date="));
            assertEquals(List.of(), Archiver.expireCold(cold, Duration.ofDays(30)));
        }
    }

    /** The uids the archive holds, sorted. */
    private static List<String> archivedUids(ObjectStore store) throws Exception {
        Path root = ((LocalObjectStore) store).root();
        try (Connection db = DuckDb.inMemory()) {
            return uids(
                    db,
                    "SELECT uid FROM read_parquet(" + DuckDb.literal(root + "/date=*/*.parquet")
                            + ", hive_partitioning = false) ORDER BY uid");
        }
    }

    /** The uids left in the hot store, sorted. */
    private List<String> hotUids() throws Exception {
        try (HotStore hot = open()) {
            return uids(hot.connection(), "SELECT uid FROM flows ORDER BY uid");
        }
    }

    private static List<String> uids(Connection db, String sql) throws Exception {
        List<String> uids = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) uids.add(rs.getString(1));
        }
        return uids;
    }
}
