package io.gnnnids.pipeline;

import io.gnnnids.core.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ETL figures of {@code make bench}, printed as {@code bench.<name> <value> <unit>} lines:
 * replay throughput, ETL throughput with the step logic in one JVM, and one 5000-flow batch as four java -jar runs.
 */
@Tag("bench")
class EtlBenchmark {
    static final int FLOWS = Integer.getInteger("bench.etl.flows", 1_000_000);
    static final int BATCH = 100_000;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    static void print(String name, double value, String unit) {
        System.out.printf("%s %s %s%n", name, value >= 100 ? String.valueOf(Math.round(value)) : String.format("%.2f", value), unit);
        System.out.flush();
    }

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
        ok(StepRunner.inProcess("replay", "generate", "--flows", String.valueOf(FLOWS), "--seed", "11", "--hosts", "400",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--manifest-dir", tmp.toString()));
        double replaySeconds = (System.nanoTime() - t0) / 1e9;
        print("bench.replay.flows_per_s", FLOWS / replaySeconds, "flows/s");

        long t1 = System.nanoTime();
        int batches = 0;
        Map<String, Double> stepSeconds = new java.util.LinkedHashMap<>();
        String[] consumeArgs = {"--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--group", group,
                "--work-dir", work.toString(), "--max-records", String.valueOf(BATCH), "--timeout", "60s"};
        while (true) {
            StepRunner.Result c = StepRunner.inProcess("consume-batch", consumeArgs);
            if (c.exitCode() == 99) break;
            Path m = ok(c).manifest();
            Path consumed = m;
            m = ok(StepRunner.inProcess("hot-write", "--manifest", m.toString(), "--duckdb", duckdb.toString())).manifest();
            Path hot = m;
            m = ok(StepRunner.inProcess("cold-write", "--manifest", m.toString(), "--cold-uri", cold.toString())).manifest();
            Path committed = ok(StepRunner.inProcess("commit-offsets", "--manifest", m.toString(), "--bootstrap-servers",
                    kafka.bootstrapServers(), "--group", group)).manifest();
            for (Path p : new Path[]{consumed, hot, m, committed}) {
                io.gnnnids.core.batch.Manifest man = io.gnnnids.core.batch.Manifest.read(p);
                stepSeconds.merge(man.step(), man.seconds(), Double::sum);
            }
            batches++;
        }
        double etlSeconds = (System.nanoTime() - t1) / 1e9;
        PipelineFixture.assertExactlyOnce(FLOWS, duckdb, cold);
        print("bench.etl.flows_per_s", FLOWS / etlSeconds, "flows/s");
        System.out.printf("# %d flows in %d batches of up to %d in %.1f s; seconds per step: %s; cold store %.1f bytes per flow%n",
                FLOWS, batches, BATCH, etlSeconds, stepSeconds, (double) PipelineFixture.sizeOf(cold) / FLOWS);
    }

    @Test
    void oneBatchOfFiveThousandAsJavaJarRuns() throws Exception {
        String topic = "bench-jar";
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "NIDS_TOPIC", topic,
                "NIDS_GROUP_ID", "bench-jar",
                "NIDS_WORK_DIR", tmp.resolve("work").toString(),
                "NIDS_DUCKDB_PATH", tmp.resolve("hot.duckdb").toString(),
                "NIDS_COLD_URI", tmp.resolve("cold").toString());
        ok(StepRunner.inProcess("replay", "generate", "--flows", "5000", "--seed", "12",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--manifest-dir", tmp.toString()));
        // One warm-up run of a jar so the page cache holds the jars, as on a scheduler that runs every 5 minutes.
        StepRunner.javaJar("hot-write", env, "--version");

        long t0 = System.nanoTime();
        Path m = ok(StepRunner.javaJar("consume-batch", env)).manifest();
        m = ok(StepRunner.javaJar("hot-write", env, "--manifest", m.toString())).manifest();
        m = ok(StepRunner.javaJar("cold-write", env, "--manifest", m.toString())).manifest();
        ok(StepRunner.javaJar("commit-offsets", env, "--manifest", m.toString()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        PipelineFixture.assertExactlyOnce(5000, tmp.resolve("hot.duckdb"), tmp.resolve("cold"));
        assertEquals(5000, PipelineFixture.sum(PipelineFixture.committed(kafka.bootstrapServers(), topic, "bench-jar")));
        print("bench.etl.batch5000_wall_s", seconds, "s");
    }
}
