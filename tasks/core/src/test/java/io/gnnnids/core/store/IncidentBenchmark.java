package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.testing.Bench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouping a run's flagged flows into incidents as the incident grows: one host scanning without a pause, 100,000
 * flagged flows an inference run, ten runs. {@code bench.incidents.update_s} is the tenth run's grouping, when the
 * incident already holds 900,000 flows.
 */
@Tag("bench")
class IncidentBenchmark {
    private static final int RUNS = 10;
    private static final int PER_RUN = 100_000;

    @TempDir
    Path dir;

    @Test
    void groupingARunIntoAGrowingIncident() throws Exception {
        double last = 0;
        try (HotStore hot = HotStore.open(dir.resolve("hot.duckdb"), Duration.ofSeconds(5))) {
            for (int run = 0; run < RUNS; run++) {
                List<Flow> flows = new ArrayList<>(PER_RUN);
                for (int i = 0; i < PER_RUN; i++) {
                    int n = run * PER_RUN + i;
                    flows.add(TestFlows.between(
                            "S" + n,
                            1_700_000_000.0 + n * 0.01,
                            "10.0.0.5",
                            "10.1." + (n / 250 % 250) + "." + n % 250,
                            23 + n % 3));
                }
                HotBatches.insert(hot, "b" + run, TestFlows.write(dir.resolve("b" + run + ".parquet"), flows));
                float[] scores = new float[PER_RUN];
                Arrays.fill(scores, 0.9f);
                HotPredictions.write(hot, flows.stream().map(Flow::uid).toList(), scores, 0.5, "7");
                long t0 = System.nanoTime();
                IncidentTable.update(hot, Duration.ofMinutes(15));
                last = (System.nanoTime() - t0) / 1e9;
            }
            Incident scan = IncidentTable.all(hot).get(0);
            assertEquals(
                    List.of((long) RUNS * PER_RUN, 62_500L, 3L), List.of(scan.flows(), scan.peers(), scan.ports()));
        }
        Bench.print("bench.incidents.update_s", last, "s");
    }
}
