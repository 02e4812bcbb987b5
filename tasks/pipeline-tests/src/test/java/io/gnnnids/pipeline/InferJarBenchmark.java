package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.testing.Bench;
import io.gnnnids.core.testing.MlflowServerExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench.infer.task10k_wall_s}: one {@code java -jar infer.jar} run on 10,000 unpredicted flows, JVM start and
 * the load of the cached champion included (as the inference DAG runs it every 5 minutes).
 */
@Tag("bench")
class InferJarBenchmark {

    @RegisterExtension
    static final MlflowServerExtension mlflow = new MlflowServerExtension();

    @TempDir
    static Path tmp;

    @Test
    void inferJarOnTenThousandFlows() throws Exception {
        Path cold = tmp.resolve("cold");
        Path duckdb = tmp.resolve("hot.duckdb");
        ModelFixture.store(tmp, ModelFixture.traffic(51, 20_000), cold, null, "train");
        StepRunner.Result trained = StepRunner.inProcess(
                "train",
                "--cold-uri",
                cold.toString(),
                "--end-date",
                ModelFixture.END,
                "--days",
                "3",
                "--tracking-uri",
                mlflow.trackingUri(),
                "--model-name",
                "bench",
                "--work-dir",
                tmp.resolve("work").toString(),
                "--max-epochs",
                "5",
                "--min-pr-auc",
                "0");
        assertEquals(0, trained.exitCode(), trained.toString());

        Map<String, String> env = Map.of(
                "NIDS_DUCKDB_PATH",
                duckdb.toString(),
                "MLFLOW_TRACKING_URI",
                mlflow.trackingUri(),
                "NIDS_MODEL_NAME",
                "bench",
                "NIDS_WORK_DIR",
                tmp.resolve("work").toString());
        // A first run fills the model cache (and DJL's natives cache), as earlier scheduled runs would have.
        ModelFixture.store(tmp, ModelFixture.traffic(52, 1_000), tmp.resolve("cold-warm"), duckdb, "warm");
        assertEquals(0, StepRunner.javaJar("infer", env).exitCode());

        ModelFixture.store(tmp, ModelFixture.traffic(53, 10_000), tmp.resolve("cold-10k"), duckdb, "10k");
        long t0 = System.nanoTime();
        StepRunner.Result r = StepRunner.javaJar("infer", env, "--batch-size", "10000");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(10_000, Manifest.read(r.manifest()).count("updated"));
        Bench.print("bench.infer.task10k_wall_s", seconds, "s");
    }
}
