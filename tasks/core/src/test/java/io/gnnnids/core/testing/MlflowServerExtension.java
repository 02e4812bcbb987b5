package io.gnnnids.core.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code mlflow server} (from the project's Python environment, {@code .venv}) on 127.0.0.1 and a free
 * port, with a SQLite backend and proxied local artifacts, started once per test class and stopped after it.
 * <pre>{@code @RegisterExtension static final MlflowServerExtension mlflow = new MlflowServerExtension();}</pre>
 */
public final class MlflowServerExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** The admin account of a server started {@link #withBasicAuth()} (MLflow wants passwords of 12 or more). */
    public static final String ADMIN = "admin";

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private final boolean basicAuth;
    private Path dir;
    private Process process;
    private int port;

    public MlflowServerExtension() {
        this(false);
    }

    private MlflowServerExtension(boolean basicAuth) {
        this.basicAuth = basicAuth;
    }

    /** A server behind MLflow's basic-auth app: every API call needs a login ({@link #ADMIN}); /health does not. */
    public static MlflowServerExtension withBasicAuth() {
        return new MlflowServerExtension(true);
    }

    /**
     * The mlflow executable: system property {@code nids.mlflow.bin}, else {@code .venv/bin/mlflow} above the module.
     */
    static Path executable() {
        String configured = System.getProperty("nids.mlflow.bin");
        Path bin = configured != null ? Path.of(configured) : Path.of("../../.venv/bin/mlflow");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin.toAbsolutePath() + " is missing: run `make venv` (make test does) to "
                    + "create the Python environment with MLflow");
        }
        return bin;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("mlflow-server-");
        port = freePort();
        Path log = dir.resolve("mlflow.log");
        ProcessBuilder pb = new ProcessBuilder(
                        executable().toString(),
                        "server",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "--backend-store-uri",
                        "sqlite:///" + dir.resolve("mlflow.db"),
                        "--artifacts-destination",
                        dir.resolve("artifacts").toUri().toString(),
                        "--serve-artifacts",
                        "--workers",
                        "1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (basicAuth) {
            Path config = dir.resolve("basic_auth.ini");
            Files.writeString(
                    config,
                    "[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///" + dir.resolve("auth.db")
                            + "\nadmin_username = " + ADMIN + "\nadmin_password = " + ADMIN_PASSWORD
                            + "\nauthorization_function = mlflow.server.auth:authenticate_request_basic_auth\n");
            pb.command().addAll(List.of("--app-name", "basic-auth"));
            pb.environment().put("MLFLOW_AUTH_CONFIG_PATH", config.toString());
            pb.environment().put("MLFLOW_FLASK_SERVER_SECRET_KEY", "tests-only-secret");
        }
        pb.environment().put("MLFLOW_ENABLE_TELEMETRY", "false");
        pb.environment().put("DO_NOT_TRACK", "true");
        process = pb.start();
        awaitReady(log);
    }

    private void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mlflow server exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection)
                        URI.create(trackingUri() + "/health").toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        afterAll(null);
        throw new IllegalStateException(
                "mlflow server not ready after " + READY_TIMEOUT.toSeconds() + " s:\n" + tail(log));
    }

    public String trackingUri() {
        return "http://127.0.0.1:" + port;
    }

    /** Where the server keeps artifacts (for tests that check files landed). */
    public Path artifactsDir() {
        return dir.resolve("artifacts");
    }

    /** Stops the server (for tests of an unreachable MLflow); the class's afterAll cleans up. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
