package io.gnnnids.pipeline;

import io.gnnnids.archive.ArchiveCommand;
import io.gnnnids.coldwrite.ColdWriteCommand;
import io.gnnnids.commitoffsets.CommitOffsetsCommand;
import io.gnnnids.consumebatch.ConsumeBatchCommand;
import io.gnnnids.core.cli.Cli;
import io.gnnnids.evaluate.EvaluateCommand;
import io.gnnnids.hotwrite.HotWriteCommand;
import io.gnnnids.infer.InferCommand;
import io.gnnnids.monitor.MonitorCommand;
import io.gnnnids.replay.ReplayCommand;
import io.gnnnids.train.TrainCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Runs the steps the way Airflow does, in this JVM or as {@code java -jar} processes, and captures their output. */
final class StepRunner {

    /** What a step run left: exit code, stdout, stderr, and the manifest path (stdout's last line). */
    record Result(int exitCode, String out, String err) {
        Path manifest() {
            return Path.of(address());
        }

        /** stdout's last line as printed: a path, or an s3:// URI for a batch staged in S3. */
        String address() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1].strip();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static final Map<String, Supplier<Object>> COMMANDS = Map.of(
            "replay", ReplayCommand::new,
            "consume-batch", ConsumeBatchCommand::new,
            "hot-write", HotWriteCommand::new,
            "cold-write", ColdWriteCommand::new,
            "commit-offsets", CommitOffsetsCommand::new,
            "train", TrainCommand::new,
            "infer", InferCommand::new,
            "archive", ArchiveCommand::new,
            "monitor", MonitorCommand::new,
            "evaluate", EvaluateCommand::new);

    private StepRunner() {}

    /** Runs a step's command object in this JVM (the logic of the jar without its start-up). */
    static Result inProcess(String step, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(COMMANDS.get(step).get(), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** The shaded jar of a step, as {@code make build} leaves it. */
    static Path jar(String step) {
        Path tasks = Path.of(System.getProperty("nids.tasks.dir", "../"));
        Path jar = tasks.resolve(step).resolve("target").resolve(step + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: run the tests with mvn verify (or make test), which packages the jars first");
        }
        return jar;
    }

    /**
     * The JVM options the DAGs give {@code step} by default, built as dags/nids_common.py builds them: train both
     * compilers (TRAIN_JAVA_OPTS), infer both and its heap set at the start (INFER_JAVA_OPTS), every other step the
     * client compiler alone, on one thread (JAVA_OPTS).
     */
    static List<String> dagJavaOpts(String step) {
        List<String> bothCompilers = List.of("-Xmx2g", "-XX:+UseSerialGC");
        return switch (step) {
            case "train" -> bothCompilers;
            case "infer" ->
                Stream.concat(Stream.of("-Xms2g"), bothCompilers.stream()).toList();
            default ->
                Stream.concat(bothCompilers.stream(), Stream.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"))
                        .toList();
        };
    }

    /**
     * Runs {@code java <the DAGs' JVM options> -XX:SharedArchiveFile=<step>.jsa -jar <step>.jar args} as the DAGs
     * do, with env added to this environment (the class-data archive beside the jar is used when the build wrote one).
     */
    static Result javaJar(String step, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return javaJar(jar(step), env, args);
    }

    /**
     * Runs the jar at {@code jar} (a step's jar, possibly copied elsewhere) as {@link #javaJar(String, Map,
     * String...)}.
     */
    static Result javaJar(Path jar, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return javaJar(jar, List.of(), env, args);
    }

    /** As {@link #javaJar(String, Map, String...)}, with JVM options after the DAGs' (e.g. another temp folder). */
    static Result javaJar(String step, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return javaJar(jar(step), jvmOptions, env, args);
    }

    private static Result javaJar(Path jar, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        String step = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(dagJavaOpts(step));
        cmd.addAll(jvmOptions);
        cmd.add("-XX:SharedArchiveFile=" + jar.resolveSibling(step + ".jsa"));
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path outFile = Files.createTempFile("step-out", ".txt");
        Path errFile = Files.createTempFile("step-err", ".txt");
        pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(step + " did not finish within 5 minutes");
        }
        Result r = new Result(
                p.exitValue(),
                Files.readString(outFile, StandardCharsets.UTF_8),
                Files.readString(errFile, StandardCharsets.UTF_8));
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(errFile);
        return r;
    }
}
