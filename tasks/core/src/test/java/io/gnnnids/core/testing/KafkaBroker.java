package io.gnnnids.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker in a child JVM, listening on 127.0.0.1 only, with its data and log in
 * a temporary folder. Kafka's own in-JVM test kit is not used because it binds every address.
 *
 * <p>The child runs on the test classpath (which holds {@code kafka_2.13}); its output goes to
 * {@code broker.log} in the folder, never to the test's output.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Process process;
    private final Thread shutdownHook;

    /** A user the SASL broker knows ({@link #startWithSasl}), with its password. */
    public static final String SASL_USER = "nids";

    public static final String SASL_PASSWORD = "nids-secret";

    private final boolean sasl;

    private KafkaBroker(Path dir, int port, int controllerPort, Process process, boolean sasl) {
        this.sasl = sasl;
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
        // Should the test JVM end without close(), the broker must not outlive it.
        this.shutdownHook = new Thread(this::destroyProcess, "kafka-broker-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Formats storage, starts the broker and returns once an Admin client can describe the cluster. */
    public static KafkaBroker start() {
        return start(false);
    }

    /**
     * A broker whose clients must log in with SASL/PLAIN ({@link #SASL_USER}) over a plaintext connection, as a
     * secured cluster asks them to; {@link #clientSecurity()} holds what a client needs.
     */
    public static KafkaBroker startWithSasl() {
        return start(true);
    }

    /** The client settings this broker requires: none, or SASL/PLAIN as {@link #SASL_USER}. */
    public Properties clientSecurity() {
        Properties p = new Properties();
        if (sasl) {
            p.put("security.protocol", "SASL_PLAINTEXT");
            p.put("sasl.mechanism", "PLAIN");
            p.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SASL_USER
                            + "\" password=\"" + SASL_PASSWORD + "\";");
        }
        return p;
    }

    private static KafkaBroker start(boolean sasl) {
        try {
            Path dir = Files.createTempDirectory("kafka-broker-");
            int port = freePort();
            int controllerPort = freePort();
            Path config = dir.resolve("server.properties");
            writeConfig(config, dir.resolve("data"), port, controllerPort, sasl);
            Path logConfig = dir.resolve("logback-broker.xml");
            Files.writeString(logConfig, LOG_CONFIG);
            Path log = dir.resolve("broker.log");

            Process format = javaProcess(
                    logConfig,
                    log,
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    Uuid.randomUuid().toString(),
                    "-c",
                    config.toString(),
                    "--ignore-formatted");
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage failed:\n" + tail(log));
            }
            Process broker = javaProcess(logConfig, log, "kafka.Kafka", config.toString());
            KafkaBroker started = new KafkaBroker(dir, port, controllerPort, broker, sasl);
            try {
                started.awaitReady();
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the broker (and any child it started), waits for it, and deletes its folder. */
    @Override
    public void close() {
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run already
        }
        keepLog();
        deleteRecursively(dir);
    }

    /** Copies the broker log to the folder named by {@code nids.broker.log.dir} (the build's target/), for failures. */
    private void keepLog() {
        String keep = System.getProperty("nids.broker.log.dir");
        if (keep == null) return;
        try {
            Path target = Path.of(keep).resolve("kafka-broker-" + port + ".log");
            Files.createDirectories(target.getParent());
            Files.copy(dir.resolve("broker.log"), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the log is a diagnostic aid only
        }
    }

    private void destroyProcess() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        // Wait for the listener first: an Admin client polling a closed port logs a warning per attempt.
        while (System.nanoTime() < deadline && process.isAlive() && !accepts(port)) {
            Thread.sleep(100);
        }
        Properties p = clientSecurity();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with " + process.exitValue()
                            + " while starting:\n" + tail(dir.resolve("broker.log")));
                }
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " not ready after "
                + READY_TIMEOUT.toSeconds() + " s:\n" + tail(dir.resolve("broker.log")));
    }

    private static Process javaProcess(Path logConfig, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + logConfig,
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // A CLASSPATH from the environment must not leak into the broker.
        builder.environment().remove("CLASSPATH");
        return builder.start();
    }

    private static void writeConfig(Path config, Path data, int port, int controllerPort, boolean sasl)
            throws IOException {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (sasl) {
            // The client listener asks for a SASL/PLAIN login; the controller's stays plaintext, as on one node.
            settings.put(
                    "listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            settings.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
            settings.put("inter.broker.listener.name", "SASL_PLAINTEXT");
            settings.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
            settings.put("sasl.enabled.mechanisms", "PLAIN");
            settings.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            settings.put(
                    "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" "
                            + "password=\"broker-secret\" user_broker=\"broker-secret\" user_" + SASL_USER + "=\""
                            + SASL_PASSWORD + "\";");
        }
        settings.put("log.dirs", data.toString());
        settings.put("num.partitions", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("auto.create.topics.enable", "false");
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config, text.toString());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }

    private static final String LOG_CONFIG = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
              </appender>
              <logger name="org.apache.kafka" level="WARN"/>
              <logger name="kafka" level="WARN"/>
              <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
              <root level="INFO"><appender-ref ref="OUT"/></root>
              <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
            </configuration>
            """;
}
