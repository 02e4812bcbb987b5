package io.gnnnids.core.mlflow;

import io.gnnnids.core.error.UsageError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * How the steps log in to an MLflow server behind authentication, from the variables MLflow's own clients read:
 * {@code MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD} (HTTP basic, as MLflow's basic-auth app
 * asks), or {@code MLFLOW_TRACKING_TOKEN} (a bearer token, as a proxy in front may ask). None: an open server.
 */
public record MlflowCredentials(String username, String password, String token) {
    public static final MlflowCredentials NONE = new MlflowCredentials(null, null, null);

    /** From the process environment. */
    public static MlflowCredentials fromEnvironment() {
        return from(System.getenv());
    }

    static MlflowCredentials from(Map<String, String> env) {
        String username = blankToNull(env.get("MLFLOW_TRACKING_USERNAME"));
        String password = blankToNull(env.get("MLFLOW_TRACKING_PASSWORD"));
        String token = blankToNull(env.get("MLFLOW_TRACKING_TOKEN"));
        if ((username == null) != (password == null)) {
            throw new UsageError("MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD go together: set both, or "
                    + "neither (or MLFLOW_TRACKING_TOKEN for a token)");
        }
        if (username != null && token != null) {
            throw new UsageError(
                    "set MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN, not both: which one to send is "
                            + "unclear");
        }
        return new MlflowCredentials(username, password, token);
    }

    /** The Authorization header's value, or null without credentials. */
    public String authorization() {
        if (token != null) return "Bearer " + token;
        if (username == null) return null;
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** What mlflow-client sends to {@code host}. */
    BasicMlflowHostCreds hostCreds(String host) {
        if (token != null) return new BasicMlflowHostCreds(host, token);
        if (username != null) return new BasicMlflowHostCreds(host, username, password);
        return new BasicMlflowHostCreds(host);
    }

    /** Never the secrets themselves: records print their fields. */
    @Override
    public String toString() {
        return token != null ? "token" : username != null ? "user " + username : "none";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
