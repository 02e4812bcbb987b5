package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.store.HoldDuckDbLock;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The task-CLI contract, checked on the shaded jars as Airflow runs them: {@code java -jar <step>.jar ...}. */
class JarContractTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    /** Every step's jar. */
    static Stream<String> steps() {
        return Stream.of(
                "replay",
                "consume-batch",
                "hot-write",
                "cold-write",
                "commit-offsets",
                "train",
                "infer",
                "archive",
                "monitor",
                "evaluate");
    }

    Map<String, String> env(String topic) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("NIDS_TOPIC", topic);
        env.put("NIDS_GROUP_ID", "jar-" + topic);
        env.put("NIDS_WORK_DIR", tmp.resolve("work").toString());
        env.put("NIDS_DUCKDB_PATH", tmp.resolve("hot.duckdb").toString());
        env.put("NIDS_COLD_URI", tmp.resolve("cold").toString());
        return env;
    }

    @ParameterizedTest
    @MethodSource("steps")
    void helpAndVersionWork(String step) throws Exception {
        StepRunner.Result help = StepRunner.javaJar(step, Map.of(), "--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(help.out().contains("Usage:"), help.toString());
        // replay's --help lists its subcommands; theirs list the exit codes.
        if (!step.equals("replay")) {
            String flat = help.out().replaceAll("\\s+", " "); // picocli wraps long lines
            assertTrue(flat.contains("Exit codes:"), help.toString());
            assertTrue(flat.contains("(Airflow retries the task)"), help.toString());
        }
        StepRunner.Result version = StepRunner.javaJar(step, Map.of(), "--version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().startsWith("gnn-nids "), version.toString());
    }

    @Test
    void helpNamesTheEnvironmentVariables() throws Exception {
        String help = StepRunner.javaJar("consume-batch", Map.of(), "--help").out();
        for (String var : new String[] {"KAFKA_BOOTSTRAP_SERVERS", "NIDS_TOPIC", "NIDS_GROUP_ID", "NIDS_WORK_DIR"}) {
            assertTrue(help.contains(var), "--help mentions " + var + ":\n" + help);
        }
    }

    @Test
    void badOptionGivesOneLineAndExitCode2() throws Exception {
        StepRunner.Result r = StepRunner.javaJar("consume-batch", env("bad"), "--max-records", "lots");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(r.err().contains("--max-records"), r.toString());
        assertEquals("", r.out(), "nothing on stdout: " + r);
    }

    @Test
    void aShareOutsideZeroToOneIsABadOption() throws Exception {
        StepRunner.Result r =
                StepRunner.javaJar("train", env("mix"), "--benign-mix", "1.5", "--tracking-uri", "http://127.0.0.1:9");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(r.err().contains("--benign-mix must be in [0, 1], got 1.5"), r.toString());
    }

    @Test
    void missingConfigurationNamesTheOptionAndItsVariable() throws Exception {
        StepRunner.Result r = StepRunner.javaJar(
                "hot-write", Map.of(), "--manifest", tmp.resolve("m.json").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--duckdb") && r.err().contains("NIDS_DUCKDB_PATH"), r.toString());
    }

    @Test
    void missingManifestIsAUsageError() throws Exception {
        StepRunner.Result r = StepRunner.javaJar(
                "hot-write", env("m"), "--manifest", tmp.resolve("nope.json").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("nope.json"), r.toString());
    }

    /** DuckDB's native library sits beside the jars (not inside, where it was unpacked on every start). */
    @ParameterizedTest
    @MethodSource("steps")
    void duckDbsMemoryMonitorIsTheOneThatStartsNoFlightRecorder(String step) throws Exception {
        try (URLClassLoader jar = new URLClassLoader(
                new URL[] {StepRunner.jar(step).toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> monitor = Class.forName("org.duckdb.JfrMemoryMonitor", false, jar);
            // duckdb_jdbc's own decides in a field whether Flight Recorder is there; core's has no field at all.
            assertEquals(0, monitor.getDeclaredFields().length, step + ".jar holds duckdb_jdbc's JfrMemoryMonitor");
        }
    }

    @Test
    void aJarCopiedWithoutDuckDbsNativeLibrarySaysWhatToDo() throws Exception {
        Map<String, String> env = env("alone");
        assertEquals(
                0,
                StepRunner.javaJar("replay", env, "generate", "--flows", "10", "--seed", "3")
                        .exitCode());
        Path m = lastLineManifest(StepRunner.javaJar("consume-batch", env), "consume-batch");
        Path alone = Files.createDirectories(tmp.resolve("alone")).resolve("hot-write.jar");
        Files.copy(StepRunner.jar("hot-write"), alone);

        StepRunner.Result r = StepRunner.javaJar(alone, env, "--manifest", m.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(
                r.err()
                        .contains("libduckdb_java.so_linux_amd64 (make build puts it in tasks/<step>/target/): copy it"
                                + " along with the jar"),
                r.toString());
        Files.copy(
                StepRunner.jar("hot-write").resolveSibling("libduckdb_java.so_linux_amd64"),
                alone.resolveSibling("libduckdb_java.so_linux_amd64"));
        assertEquals(
                10,
                Manifest.read(lastLineManifest(StepRunner.javaJar(alone, env, "--manifest", m.toString()), "hot-write"))
                        .count("inserted"));
    }

    /** A step's log line: time in UTC, level, logger, message (StepLogging.Line). */
    private static final Pattern STEP_LOG_LINE =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG) \\S+ - .*");

    /**
     * Logging is bound directly (StepLoggingProvider): stderr holds the step's own lines, at least one, and no notice
     * from SLF4J or logback about how they were set up.
     */
    private static void assertOnlyStepLogLines(StepRunner.Result r) {
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains(" INFO ")), r.toString());
        for (String line : lines) {
            assertTrue(STEP_LOG_LINE.matcher(line).matches(), "not a step's log line: " + line + "\n" + r);
        }
    }

    @Test
    void aLogbackConfigurationFileStillReplacesTheStepsLogging() throws Exception {
        Path config = tmp.resolve("logback.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>custom %level %logger{0}: %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="E"/></root>
                </configuration>
                """);
        StepRunner.Result r = StepRunner.javaJar(
                "replay",
                List.of("-Dlogback.configurationFile=" + config),
                env("custom-logging"),
                "generate",
                "--flows",
                "10",
                "--seed",
                "3");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("custom INFO GenerateCommand: ")), r.toString());
    }

    @Test
    void oneBatchThroughTheJarsWithManifestPathsOnTheLastLine() throws Exception {
        Map<String, String> env = env("jars");
        StepRunner.Result empty = StepRunner.javaJar("consume-batch", env);
        assertTrue(empty.exitCode() == 99 || empty.exitCode() == 1, "no topic yet: " + empty);

        StepRunner.Result replay = StepRunner.javaJar("replay", env, "generate", "--flows", "3000", "--seed", "21");
        assertEquals(0, replay.exitCode(), replay.toString());
        assertTrue(Files.isRegularFile(replay.manifest()), replay.toString());

        // --verbose is parsed while the start-up thread sets up logging: it must still reach the step's loggers.
        StepRunner.Result consumed = StepRunner.javaJar("consume-batch", env, "--verbose");
        assertTrue(consumed.err().contains("DEBUG BatchConsumer - consumed 3000 records"), consumed.toString());
        assertOnlyStepLogLines(consumed);
        Path m = lastLineManifest(consumed, "consume-batch");
        assertEquals(3000, Manifest.read(m).count("records"));
        StepRunner.Result hot = StepRunner.javaJar("hot-write", env, "--manifest", m.toString());
        assertOnlyStepLogLines(hot);
        m = lastLineManifest(hot, "hot-write");
        assertEquals(3000, Manifest.read(m).count("inserted"));
        m = lastLineManifest(StepRunner.javaJar("cold-write", env, "--manifest", m.toString()), "cold-write");
        assertEquals(3000, Manifest.read(m).count("rows"));
        StepRunner.Result committed =
                StepRunner.javaJar("commit-offsets", env, "--manifest", m.toString(), "--verbose");
        assertTrue(committed.err().contains("DEBUG OffsetCommitter - committed"), committed.toString());
        lastLineManifest(committed, "commit-offsets");

        StepRunner.Result drained = StepRunner.javaJar("consume-batch", env);
        assertEquals(99, drained.exitCode(), drained.toString());
        assertEquals("", drained.out(), "a skipped run prints no manifest");
        PipelineFixture.assertExactlyOnce(3000, tmp.resolve("hot.duckdb"), tmp.resolve("cold"));
    }

    @Test
    void hotWriteWaitsForALockedDuckDbFileAndThenFailsClearly() throws Exception {
        Map<String, String> env = env("locked");
        StepRunner.javaJar("replay", env, "generate", "--flows", "500", "--seed", "22");
        Path m = lastLineManifest(StepRunner.javaJar("consume-batch", env), "consume-batch");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldDuckDbLock.class.getName(),
                        tmp.resolve("hot.duckdb").toString(),
                        "60")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String ready =
                    new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertEquals(HoldDuckDbLock.READY, ready);
            StepRunner.Result r = StepRunner.javaJar("hot-write", env, "--manifest", m.toString(), "--lock-wait", "3s");
            assertEquals(1, r.exitCode(), r.toString());
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.contains("locked by another process") && last.contains("duckdb"), r.toString());
        } finally {
            holder.destroy();
            holder.waitFor();
        }
        lastLineManifest(StepRunner.javaJar("hot-write", env, "--manifest", m.toString()), "hot-write");
    }

    static Path lastLineManifest(StepRunner.Result r, String step) throws Exception {
        assertEquals(0, r.exitCode(), r.toString());
        Path m = r.manifest();
        assertTrue(m.isAbsolute() && Files.isRegularFile(m), "last stdout line is the manifest path: " + r);
        assertEquals(1, r.out().strip().lines().count(), "stdout carries only the manifest path: " + r);
        assertEquals(step, Manifest.read(m).step());
        return m;
    }
}
