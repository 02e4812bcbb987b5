package io.gnnnids.core.store;

import io.gnnnids.core.flow.Flow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures Parquet writing and hot inserts; run by hand with the runtime class path only, which also shows that
 * writing needs no Hadoop class: {@code java -cp target/classes:target/test-classes:<runtime cp> io.gnnnids.core.store.StoreThroughput DIR}.
 */
public final class StoreThroughput {

    private static final Logger log = LoggerFactory.getLogger(StoreThroughput.class);

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/throughput"));
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        boolean hadoopPresent;
        try {
            Class.forName("org.apache.hadoop.conf.Configuration");
            hadoopPresent = true;
        } catch (ClassNotFoundException e) {
            hadoopPresent = false;
        }
        log.info("hadoop on class path: {}", hadoopPresent);

        List<Flow> flows = TestFlows.flows("C", rows, 1_700_000_000.0);
        Path big = dir.resolve("big.parquet");
        for (int round = 0; round < 2; round++) { // first round warms up the JIT
            long t0 = System.nanoTime();
            TestFlows.write(big, flows);
            double s = (System.nanoTime() - t0) / 1e9;
            log.info(
                    "parquet: {} rows in {} s = {} rows/s, {} bytes",
                    rows,
                    String.format("%.2f", s),
                    Math.round(rows / s),
                    Files.size(big));
        }

        Path db = dir.resolve("hot.duckdb");
        Files.deleteIfExists(db);
        int perFile = 100_000;
        try (HotStore hot = HotStore.open(db, Duration.ofSeconds(5))) {
            for (int b = 0; b < Math.min(10, rows / perFile); b++) {
                Path file = TestFlows.write(
                        dir.resolve("b" + b + ".parquet"), flows.subList(b * perFile, (b + 1) * perFile));
                long t0 = System.nanoTime();
                HotWriteResult r = HotBatches.insert(hot, "b" + b, file);
                double s = (System.nanoTime() - t0) / 1e9;
                log.info(
                        "hot insert: {} in {} s = {} rows/s (table {})",
                        r,
                        String.format("%.3f", s),
                        Math.round(perFile / s),
                        hot.count());
            }
        }
    }
}
