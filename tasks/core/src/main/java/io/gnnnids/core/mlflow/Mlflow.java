package io.gnnnids.core.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gnnnids.core.error.StepFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow tracking server as the steps use it: experiments, runs, params and metrics through mlflow-client;
 * the model registry (versions, aliases) through its REST paths, which mlflow-client does not wrap; artifacts
 * over HTTP through the server's artifact proxy ({@code mlflow server --serve-artifacts}), so no Python is needed.
 */
public final class Mlflow implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mlflow.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String PROXY_SCHEME = "mlflow-artifacts:";
    /** The alias of the registered version that serves (MLflow stages are deprecated). */
    public static final String CHAMPION = "champion";

    private final String trackingUri;
    private final MlflowClient client;
    private final HttpClient http;
    private final String authorization;

    /** A client that logs in with the credentials of the environment ({@link MlflowCredentials}), if any. */
    public Mlflow(String trackingUri) {
        this(trackingUri, MlflowCredentials.fromEnvironment());
    }

    public Mlflow(String trackingUri, MlflowCredentials credentials) {
        this.trackingUri = trackingUri.replaceAll("/+$", "");
        this.client = new MlflowClient(credentials.hostCreds(this.trackingUri));
        this.authorization = credentials.authorization();
        // HTTP/1.1: an upgrade-to-HTTP/2 request with a body is refused by uvicorn's httptools parser (400).
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public String trackingUri() {
        return trackingUri;
    }

    /** MLflow metric names allow letters, digits, _ - . / and spaces: "C&C" becomes "C_C". */
    public static String metricName(String name) {
        return name.replaceAll("[^A-Za-z0-9_\\-./ ]", "_");
    }

    /** The experiment's id, creating the experiment on first use. */
    public String experimentId(String name) {
        return call(
                "find experiment " + name,
                () -> client.getExperimentByName(name)
                        .map(Service.Experiment::getExperimentId)
                        .orElseGet(() -> client.createExperiment(name)));
    }

    /** Starts a run; returns its id. */
    public Service.RunInfo startRun(String experimentId, String runName) {
        return call(
                "create a run",
                () -> client.createRun(Service.CreateRun.newBuilder()
                        .setExperimentId(experimentId)
                        .setRunName(runName)
                        .setStartTime(System.currentTimeMillis())
                        .build()));
    }

    public void logParams(String runId, Map<String, String> params) {
        List<Service.Param> batch = new ArrayList<>();
        params.forEach((k, v) -> batch.add(
                Service.Param.newBuilder().setKey(k).setValue(truncate(v, 6000)).build()));
        // The server takes at most 100 params per batch.
        for (int i = 0; i < batch.size(); i += 100) {
            List<Service.Param> part = batch.subList(i, Math.min(batch.size(), i + 100));
            call("log params", () -> {
                client.logBatch(runId, List.of(), part, List.of());
                return null;
            });
        }
    }

    public void logMetric(String runId, String key, double value, long step) {
        if (!Double.isFinite(value)) return; // MLflow rejects NaN; an undefined metric is simply not logged
        call("log metric " + key, () -> {
            client.logMetric(runId, key, value, System.currentTimeMillis(), step);
            return null;
        });
    }

    public void logMetrics(String runId, Map<String, Double> metrics) {
        long now = System.currentTimeMillis();
        List<Service.Metric> batch = new ArrayList<>();
        metrics.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                batch.add(Service.Metric.newBuilder()
                        .setKey(k)
                        .setValue(v)
                        .setTimestamp(now)
                        .setStep(0)
                        .build());
            }
        });
        for (int i = 0; i < batch.size(); i += 1000) {
            List<Service.Metric> part = batch.subList(i, Math.min(batch.size(), i + 1000));
            call("log metrics", () -> {
                client.logBatch(runId, part, List.of(), List.of());
                return null;
            });
        }
    }

    public void setTag(String runId, String key, String value) {
        call("tag run", () -> {
            client.setTag(runId, key, value);
            return null;
        });
    }

    public void endRun(String runId, boolean succeeded) {
        call("end run", () -> {
            client.setTerminated(runId, succeeded ? Service.RunStatus.FINISHED : Service.RunStatus.FAILED);
            return null;
        });
    }

    public String artifactUri(String runId) {
        return call("read run " + runId, () -> client.getRun(runId).getInfo().getArtifactUri());
    }

    /** Uploads a file as a run artifact at {@code relativePath} (e.g. "model/model.json"). */
    public void uploadArtifact(String runId, String relativePath, Path file) throws IOException {
        URI uri = proxyUri(artifactUri(runId), relativePath);
        HttpRequest req =
                request(uri).PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> resp = send(req, HttpResponse.BodyHandlers.ofString(), "upload artifact " + relativePath);
        if (isLoginRefused(resp.statusCode())) throw loginRefused("upload artifact " + relativePath, resp.statusCode());
        if (resp.statusCode() / 100 != 2) {
            throw new StepFailure("MLflow at " + trackingUri + " refused the upload of " + relativePath + " (HTTP "
                    + resp.statusCode() + ": " + truncate(resp.body(), 300) + "): the server must proxy artifacts "
                    + "(mlflow server --serve-artifacts --artifacts-destination ...)");
        }
    }

    /** Downloads an artifact of the run whose artifact root is {@code artifactUri} to {@code dest}. */
    public void downloadArtifact(String artifactUri, String relativePath, Path dest) throws IOException {
        URI uri = proxyUri(artifactUri, relativePath);
        Files.createDirectories(dest.toAbsolutePath().getParent());
        Path tmp = dest.resolveSibling(dest.getFileName() + ".part");
        HttpRequest req = request(uri).GET().build();
        HttpResponse<Path> resp = send(req, HttpResponse.BodyHandlers.ofFile(tmp), "download artifact " + relativePath);
        if (resp.statusCode() / 100 != 2) {
            Files.deleteIfExists(tmp);
            if (isLoginRefused(resp.statusCode()))
                throw loginRefused("download artifact " + relativePath, resp.statusCode());
            throw new StepFailure("MLflow at " + trackingUri + " has no artifact " + relativePath + " under "
                    + artifactUri + " (HTTP " + resp.statusCode() + ")");
        }
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** An artifact request, with the credentials mlflow-client sends on the REST calls. */
    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5));
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    private URI proxyUri(String artifactUri, String relativePath) {
        if (!artifactUri.startsWith(PROXY_SCHEME)) {
            throw new StepFailure("the run's artifact location " + artifactUri + " is not served by the MLflow server: "
                    + "start it with --serve-artifacts (artifacts then live under mlflow-artifacts:/)");
        }
        String root = artifactUri.substring(PROXY_SCHEME.length()).replaceAll("^/+", "");
        return URI.create(trackingUri + ARTIFACTS_API + root + "/" + relativePath);
    }

    // ---- model registry (REST: mlflow-client has no create/alias calls) ----

    /** Creates the registered model if it does not exist. */
    public void ensureRegisteredModel(String name) {
        try {
            get("/api/2.0/mlflow/registered-models/get?name=" + enc(name));
        } catch (MlflowHttpException e) {
            if (e.getStatusCode() != 404) throw failure("read registered model " + name, e);
            ObjectNode body = JSON.createObjectNode().put("name", name);
            post("/api/2.0/mlflow/registered-models/create", body);
        }
    }

    /** Registers the run's artifacts at {@code source} as a new version; returns it once it is READY. */
    public ModelVersionInfo createModelVersion(String name, String source, String runId) {
        ObjectNode body =
                JSON.createObjectNode().put("name", name).put("source", source).put("run_id", runId);
        JsonNode mv = post("/api/2.0/mlflow/model-versions/create", body).path("model_version");
        String version = mv.path("version").asText();
        for (int i = 0; i < 60 && !"READY".equals(mv.path("status").asText("READY")); i++) {
            sleep(500);
            mv = get("/api/2.0/mlflow/model-versions/get?name=" + enc(name) + "&version=" + enc(version))
                    .path("model_version");
        }
        return toInfo(mv);
    }

    public void setAlias(String name, String alias, String version) {
        ObjectNode body =
                JSON.createObjectNode().put("name", name).put("alias", alias).put("version", version);
        post("/api/2.0/mlflow/registered-models/alias", body);
    }

    /** The version holding the alias, or empty when the model or the alias does not exist. */
    public Optional<ModelVersionInfo> versionByAlias(String name, String alias) {
        try {
            return Optional.of(
                    toInfo(get("/api/2.0/mlflow/registered-models/alias?name=" + enc(name) + "&alias=" + enc(alias))
                            .path("model_version")));
        } catch (MlflowHttpException e) {
            if (e.getStatusCode() == 404 || e.getStatusCode() == 400) return Optional.empty();
            throw failure("resolve alias " + alias + " of " + name, e);
        }
    }

    public ModelVersionInfo version(String name, String version) {
        try {
            return toInfo(get("/api/2.0/mlflow/model-versions/get?name=" + enc(name) + "&version=" + enc(version))
                    .path("model_version"));
        } catch (MlflowHttpException e) {
            if (e.getStatusCode() == 404) {
                throw new StepFailure("model " + name + " has no version " + version + " in MLflow at " + trackingUri);
            }
            throw failure("read version " + version + " of " + name, e);
        }
    }

    /** Metrics of a run (last value of each key). */
    public Map<String, Double> runMetrics(String runId) {
        return call("read run " + runId, () -> {
            Map<String, Double> m = new java.util.TreeMap<>();
            client.getRun(runId).getData().getMetricsList().forEach(x -> m.put(x.getKey(), x.getValue()));
            return m;
        });
    }

    /** Parameters of a run. */
    public Map<String, String> runParams(String runId) {
        return call("read run " + runId, () -> {
            Map<String, String> m = new java.util.TreeMap<>();
            client.getRun(runId).getData().getParamsList().forEach(x -> m.put(x.getKey(), x.getValue()));
            return m;
        });
    }

    private static ModelVersionInfo toInfo(JsonNode mv) {
        return new ModelVersionInfo(
                mv.path("name").asText(),
                mv.path("version").asText(),
                mv.path("run_id").asText(null),
                mv.path("source").asText(null));
    }

    private JsonNode get(String path) {
        return call("GET " + path, () -> JSON.readTree(client.sendGet(path.substring("/api/2.0/mlflow/".length()))));
    }

    private JsonNode post(String path, JsonNode body) {
        return call(
                "POST " + path,
                () -> JSON.readTree(
                        client.sendPost(path.substring("/api/2.0/mlflow/".length()), JSON.writeValueAsString(body))));
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what)
            throws IOException {
        try {
            return http.send(req, handler);
        } catch (ConnectException e) {
            throw unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trying to " + what, e);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (MlflowHttpException e) {
            if (isLoginRefused(e.getStatusCode())) throw loginRefused(what, e.getStatusCode());
            throw e; // callers that expect 404s handle them; others see failure() through their own catch
        } catch (RuntimeException e) {
            throw failure(what, e);
        } catch (Exception e) {
            throw failure(what, e);
        }
    }

    private RuntimeException failure(String what, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof ConnectException
                || root instanceof java.net.UnknownHostException
                || root instanceof java.net.http.HttpConnectTimeoutException) {
            return unreachable(what, root);
        }
        if (e instanceof MlflowHttpException h) {
            return new StepFailure(
                    "MLflow at " + trackingUri + " refused to " + what + " (HTTP " + h.getStatusCode() + ": "
                            + truncate(h.getBodyMessage(), 300) + ")",
                    e);
        }
        if (e instanceof StepFailure s) return s;
        return new StepFailure("could not " + what + " on MLflow at " + trackingUri + ": " + root, e);
    }

    private static boolean isLoginRefused(int status) {
        return status == 401 || status == 403;
    }

    /** 401: no or wrong credentials; 403: an account without the permission. Either way, what to set. */
    private StepFailure loginRefused(String what, int status) {
        return new StepFailure("MLflow at " + trackingUri + " refused to " + what + " (HTTP " + status + "): "
                + (status == 401
                        ? "set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) to an "
                                + "account of the server"
                        : "the account lacks the permission; give it EDIT on the experiment or MANAGE on the model"));
    }

    private MlflowUnreachable unreachable(String what, Throwable cause) {
        return new MlflowUnreachable(
                "cannot reach MLflow at " + trackingUri + " to " + what + " ("
                        + cause.getClass().getSimpleName() + "): check MLFLOW_TRACKING_URI and that the server is up",
                cause);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
