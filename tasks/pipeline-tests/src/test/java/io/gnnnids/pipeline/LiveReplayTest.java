package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.step.Manifest;
import io.gnnnids.core.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay generate --live}, the traffic source of {@code make airflow}, as a {@code java -jar} process against a
 * real Kafka broker: it streams at its rate until stopped with SIGTERM, then flushes what it sent, writes its manifest
 * and prints its path; the ETL steps find exactly those flows, stamped with the moments they were sent.
 */
class LiveReplayTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    @Test
    void streamsUntilStoppedThenEveryFlowSentIsInKafkaStampedWhenSent() throws Exception {
        String topic = "live";
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(StepRunner.dagJavaOpts("replay"));
        cmd.addAll(List.of(
                "-jar",
                StepRunner.jar("replay").toString(),
                "generate",
                "--live",
                "--rate",
                "400",
                "--hosts",
                "60",
                "--seed",
                "9",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--manifest-dir",
                tmp.toString()));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        double started = System.currentTimeMillis() / 1000.0;
        Process replay = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        double stopped;
        try {
            // Past the Pacer's first progress line (every 5 s): it streams, it has not ended by itself.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(err).contains("flows sent")) {
                assertTrue(replay.isAlive(), "replay ended by itself:\n" + Files.readString(err));
                assertTrue(System.nanoTime() < deadline, "no progress after 60 s:\n" + Files.readString(err));
                Thread.sleep(200);
            }
        } finally {
            replay.destroy(); // SIGTERM, as Ctrl-C or `kill` would stop it
            assertTrue(replay.waitFor(30, TimeUnit.SECONDS), "replay did not stop within 30 s of SIGTERM");
            stopped = System.currentTimeMillis() / 1000.0;
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(143, replay.exitValue(), "the JVM's exit status after SIGTERM:\n" + stderr);
        assertTrue(stderr.contains(": stopped"), stderr);
        assertEquals(1, stdout.strip().lines().count(), "stdout carries only the manifest path: " + stdout);
        Manifest m = Manifest.read(Path.of(stdout.strip()));
        long sent = m.counts().get("flows");
        assertTrue(sent >= 2_000 && sent <= 400 * (stopped - started) + 100, sent + " flows sent");
        assertEquals("true", m.info().get("live"));

        // Every flow it counted reached the topic (flushed before the manifest was written), and no more.
        Path work = tmp.resolve("work");
        Path duckdb = tmp.resolve("hot.duckdb");
        StepRunner.Result batch = StepRunner.inProcess(
                "consume-batch",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                topic,
                "--group",
                "live-etl",
                "--work-dir",
                work.toString(),
                "--max-records",
                "1000000",
                "--timeout",
                "30s");
        assertEquals(0, batch.exitCode(), batch.toString());
        Manifest staged = Manifest.read(batch.manifest());
        assertEquals(sent, staged.counts().get("records") + staged.counts().get("quarantined"), staged.toString());
        StepRunner.Result hot = StepRunner.inProcess(
                "hot-write", "--manifest", batch.manifest().toString(), "--duckdb", duckdb.toString());
        assertEquals(0, hot.exitCode(), hot.toString());

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT uid), min(ts), max(ts), "
                        + "count(*) FILTER (WHERE label IS NOT NULL) FROM flows")) {
            rs.next();
            long rows = rs.getLong(1);
            assertEquals(staged.counts().get("records"), rows);
            assertEquals(rows, rs.getLong(2), "uids are unique");
            assertTrue(
                    rs.getDouble(3) >= started && rs.getDouble(4) <= stopped,
                    "flows are stamped when sent: " + rs.getDouble(3) + ".." + rs.getDouble(4) + " within " + started
                            + ".." + stopped);
            assertEquals(rows, rs.getLong(5), "every flow carries its ground truth");
        }
    }

    @Test
    void liveNeedsARateAndTakesNoDaysOrStart() {
        StepRunner.Result noRate = StepRunner.inProcess(
                "replay", "generate", "--live", "--out", tmp.resolve("f").toString());
        assertEquals(2, noRate.exitCode(), noRate.toString());
        assertTrue(noRate.err().contains("--rate"), noRate.toString());
        StepRunner.Result days = StepRunner.inProcess(
                "replay",
                "generate",
                "--live",
                "--rate",
                "10",
                "--days",
                "2",
                "--out",
                tmp.resolve("f").toString());
        assertEquals(2, days.exitCode(), days.toString());
        assertTrue(days.err().contains("--days"), days.toString());
        StepRunner.Result noFlows = StepRunner.inProcess(
                "replay", "generate", "--out", tmp.resolve("f").toString());
        assertEquals(2, noFlows.exitCode(), noFlows.toString());
        assertTrue(noFlows.err().contains("--flows") && noFlows.err().contains("--live"), noFlows.toString());
    }

    @Test
    void liveStopsAfterFlowsWhenGiven() throws Exception {
        Path file = tmp.resolve("flows.jsonl");
        StepRunner.Result r = StepRunner.inProcess(
                "replay",
                "generate",
                "--live",
                "--rate",
                "5000",
                "--flows",
                "3000",
                "--out",
                file.toString(),
                "--manifest-dir",
                tmp.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(3000, Files.readAllLines(file).size());
        assertEquals(3000L, Manifest.read(r.manifest()).counts().get("flows"));
    }
}
