package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.testing.Bench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing 1,000,000 flows as one Parquet file (the second of two rounds: the first warms up the JIT), and
 * inserting ten staged batches of 100,000 into a hot store, as hot-write does: {@code bench.store.*} in rows/s.
 */
@Tag("bench")
class StoreBenchmark {
    private static final int ROWS = 1_000_000;
    private static final int PER_BATCH = 100_000;

    @TempDir
    Path dir;

    @Test
    void parquetWritesAndHotInserts() throws Exception {
        List<Flow> flows = TestFlows.flows("C", ROWS, 1_700_000_000.0);
        double parquet = 0;
        for (int round = 0; round < 2; round++) {
            long t0 = System.nanoTime();
            TestFlows.write(dir.resolve("all.parquet"), flows);
            parquet = Bench.perSecond(ROWS, t0);
        }
        Bench.print("bench.store.parquet_rows_per_s", parquet, "rows/s");

        long inserting = 0;
        try (HotStore hot = HotStore.open(dir.resolve("hot.duckdb"), Duration.ofSeconds(5))) {
            for (int b = 0; b < ROWS / PER_BATCH; b++) {
                Path file = TestFlows.write(
                        dir.resolve("b" + b + ".parquet"), flows.subList(b * PER_BATCH, (b + 1) * PER_BATCH));
                long t0 = System.nanoTime();
                HotWriteResult r = HotBatches.insert(hot, "b" + b, file);
                inserting += System.nanoTime() - t0;
                assertEquals(PER_BATCH, r.inserted());
            }
            assertEquals(ROWS, hot.count());
        }
        Bench.print("bench.store.hot_insert_rows_per_s", ROWS / (inserting / 1e9), "rows/s");
    }
}
