package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.testing.Bench;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETL figures of {@code make bench}, printed as {@code bench.<name> <value> <unit>} lines: replay throughput, ETL
 * throughput with the step logic in one JVM, and the ETL as deployed, four {@code java -jar} runs per batch with the
 * DAGs' JVM options and class-data archives: what starting them costs, one 5000-flow batch, and 1,000,000 flows at
 * the DAG's default batch size.
 */
@Tag("bench")
class EtlBenchmark {
    static final int FLOWS = Integer.getInteger("bench.etl.flows", 1_000_000);
    static final int BATCH = 100_000;
    /** nids_etl's default max_records (NIDS_ETL_MAX_RECORDS in dags/nids_common.py). */
    static final int DAG_BATCH = Integer.getInteger("bench.etl.deployed.batch", 500_000);
    /** One-flow batches whose start is measured: the figure is their median, a single one varies by a tenth. */
    static final int START_BATCHES = 5;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    static StepRunner.Result ok(StepRunner.Result r) {
        if (r.exitCode() != 0) throw new AssertionError(r.toString());
        return r;
    }

    @Test
    void etlThroughput() throws Exception {
        String topic = "bench-etl";
        String group = "bench-etl";
        Path work = tmp.resolve("work");
        Path duckdb = tmp.resolve("hot.duckdb");
        Path cold = tmp.resolve("cold");

        long t0 = System.nanoTime();
        ok(StepRunner.inProcess(
                "replay",
                "generate",
                "--flows",
                String.valueOf(FLOWS),
                "--seed",
                "11",
                "--hosts",
                "400",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--manifest-dir",
                tmp.toString()));
        double replaySeconds = (System.nanoTime() - t0) / 1e9;
        Bench.print("bench.replay.flows_per_s", FLOWS / replaySeconds, "flows/s");

        long t1 = System.nanoTime();
        int batches = 0;
        Map<String, Double> stepSeconds = new java.util.LinkedHashMap<>();
        String[] consumeArgs = {
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic",
            topic,
            "--group",
            group,
            "--work-dir",
            work.toString(),
            "--max-records",
            String.valueOf(BATCH),
            "--timeout",
            "60s"
        };
        while (true) {
            StepRunner.Result c = StepRunner.inProcess("consume-batch", consumeArgs);
            if (c.exitCode() == 99) break;
            Path m = ok(c).manifest();
            Path consumed = m;
            m = ok(StepRunner.inProcess("hot-write", "--manifest", m.toString(), "--duckdb", duckdb.toString()))
                    .manifest();
            Path hot = m;
            m = ok(StepRunner.inProcess("cold-write", "--manifest", m.toString(), "--cold-uri", cold.toString()))
                    .manifest();
            Path committed = ok(StepRunner.inProcess(
                            "commit-offsets",
                            "--manifest",
                            m.toString(),
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--group",
                            group))
                    .manifest();
            for (Path p : new Path[] {consumed, hot, m, committed}) {
                io.gnnnids.core.step.Manifest man = io.gnnnids.core.step.Manifest.read(p);
                stepSeconds.merge(man.step(), man.seconds(), Double::sum);
            }
            batches++;
        }
        double etlSeconds = (System.nanoTime() - t1) / 1e9;
        PipelineFixture.assertExactlyOnce(FLOWS, duckdb, cold);
        Bench.print("bench.etl.flows_per_s", FLOWS / etlSeconds, "flows/s");
        System.out.printf(
                "# %d flows in %d batches of up to %d in %.1f s; seconds per step: %s; cold store %.1f bytes per "
                        + "flow%n",
                FLOWS, batches, BATCH, etlSeconds, stepSeconds, (double) PipelineFixture.sizeOf(cold) / FLOWS);
    }

    /** The steps' settings as the DAGs give them, for topic and group {@code name}, stores under the temp dir. */
    private Map<String, String> deployedEnv(String name) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "NIDS_TOPIC", name,
                "NIDS_GROUP_ID", name,
                "NIDS_WORK_DIR", tmp.resolve(name + "-work").toString(),
                "NIDS_DUCKDB_PATH", tmp.resolve(name + ".duckdb").toString(),
                "NIDS_COLD_URI", tmp.resolve(name + "-cold").toString());
    }

    /** Puts {@code flows} generated flows on topic {@code name} and warms the page cache with one jar run. */
    private void replay(String name, int flows, Map<String, String> env) throws Exception {
        replay(name, flows, 12, env);
    }

    /** As above, the flows generated from {@code seed}: another seed gives other flows (other uids). */
    private void replay(String name, int flows, long seed, Map<String, String> env) throws Exception {
        ok(StepRunner.inProcess(
                "replay",
                "generate",
                "--flows",
                String.valueOf(flows),
                "--seed",
                String.valueOf(seed),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                name,
                "--manifest-dir",
                tmp.toString()));
        // As on a scheduler that runs the steps every few minutes, the jars are in the page cache.
        StepRunner.javaJar("hot-write", env, "--version");
    }

    /**
     * One batch of up to {@code maxRecords} through the four ETL jars; adds each jar's seconds to {@code seconds}.
     * False when Kafka held nothing new (consume-batch exit 99; its seconds are not added).
     */
    private static boolean oneBatch(Map<String, String> env, int maxRecords, Map<String, Double> seconds)
            throws Exception {
        long t = System.nanoTime();
        StepRunner.Result c = StepRunner.javaJar("consume-batch", env, "--max-records", String.valueOf(maxRecords));
        if (c.exitCode() == 99) return false;
        seconds.merge("consume-batch", (System.nanoTime() - t) / 1e9, Double::sum);
        Path m = ok(c).manifest();
        for (String step : new String[] {"hot-write", "cold-write", "commit-offsets"}) {
            t = System.nanoTime();
            m = ok(StepRunner.javaJar(step, env, "--manifest", m.toString())).manifest();
            seconds.merge(step, (System.nanoTime() - t) / 1e9, Double::sum);
        }
        return true;
    }

    private static double sum(Map<String, Double> seconds) {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Every flow of topic {@code name} stored once in both stores, and committed. */
    private void assertStoredOnce(String name, int flows) throws Exception {
        PipelineFixture.assertExactlyOnce(flows, tmp.resolve(name + ".duckdb"), tmp.resolve(name + "-cold"));
        assertEquals(flows, PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), name, name)));
    }

    /**
     * What starting the four ETL jars costs: a one-flow batch, the four runs summed (the median of five such
     * batches, {@link #START_BATCHES}), as a scheduler's runs find things after its first. That first run is done
     * before: it loads DuckDB's native library into the page cache, creates the hot store, and commits the group on
     * every partition of the topic, so that the measured steps, as every later run, find the group's offsets and
     * need not ask Kafka where each partition begins.
     */
    @Test
    void jarStart() throws Exception {
        Map<String, String> env = deployedEnv("bench-start");
        replay("bench-start", 30, env);
        oneBatch(env, 1_000, new java.util.HashMap<>());
        assertEquals(
                3,
                PipelineFixture.committed(kafka.bootstrapServers(), "bench-start", "bench-start")
                        .size(),
                "the first run commits the group on each of the topic's 3 partitions");
        replay("bench-start", START_BATCHES, 13, env);
        List<Map<String, Double>> batches = new ArrayList<>();
        for (int i = 0; i < START_BATCHES; i++) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            oneBatch(env, 1, seconds);
            batches.add(seconds);
        }
        assertStoredOnce("bench-start", 30 + START_BATCHES);
        List<Double> sums = batches.stream().map(EtlBenchmark::sum).toList();
        Bench.print("bench.etl.jar_start_s", median(sums), "s");
        Map<String, Double> perJar = new LinkedHashMap<>();
        for (String step : batches.get(0).keySet()) {
            perJar.put(step, median(batches.stream().map(b -> b.get(step)).toList()));
        }
        System.out.printf(
                "# medians of %d one-flow batches, seconds per jar: %s; the batches' sums: %s%n",
                START_BATCHES, perJar, sums);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @Test
    void oneBatchOfFiveThousandAsJavaJarRuns() throws Exception {
        Map<String, String> env = deployedEnv("bench-jar");
        replay("bench-jar", 5000, env);
        Map<String, Double> seconds = new java.util.LinkedHashMap<>();
        oneBatch(env, 5000, seconds);
        assertStoredOnce("bench-jar", 5000);
        Bench.print("bench.etl.batch5000_wall_s", sum(seconds), "s");
    }

    /** The ETL as deployed, at the DAG's default batch size: compare with a plain Python ETL on the same machine. */
    @Test
    void deployedThroughput() throws Exception {
        Map<String, String> env = deployedEnv("bench-deployed");
        replay("bench-deployed", FLOWS, env);
        Map<String, Double> seconds = new java.util.LinkedHashMap<>();
        int batches = 0;
        while (oneBatch(env, DAG_BATCH, seconds)) batches++;
        assertStoredOnce("bench-deployed", FLOWS);
        Bench.print("bench.etl.deployed_flows_per_s", FLOWS / sum(seconds), "flows/s");
        System.out.printf(
                "# %d flows in %d batches of up to %d: %.1f s of jar runs; per step %s%n",
                FLOWS, batches, DAG_BATCH, sum(seconds), seconds);
    }
}
