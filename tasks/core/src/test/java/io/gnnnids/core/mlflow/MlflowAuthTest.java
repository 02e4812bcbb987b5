package io.gnnnids.core.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.testing.MlflowServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The steps' MLflow client against a server behind MLflow's basic-auth app, and where it takes its login from. */
class MlflowAuthTest {

    @RegisterExtension
    static final MlflowServerExtension server = MlflowServerExtension.withBasicAuth();

    private static final MlflowCredentials ADMIN =
            new MlflowCredentials(MlflowServerExtension.ADMIN, MlflowServerExtension.ADMIN_PASSWORD, null);

    @TempDir
    Path dir;

    @Test
    void withTheLoginRunsAndArtifactsWorkAndWithoutItTheErrorSaysWhatToSet() throws Exception {
        try (Mlflow mlflow = new Mlflow(server.trackingUri(), ADMIN)) {
            String runId =
                    mlflow.startRun(mlflow.experimentId("auth-test"), "r").getRunId();
            Path file = Files.writeString(dir.resolve("a.json"), "{}");
            mlflow.uploadArtifact(runId, "model/a.json", file);
            mlflow.downloadArtifact(mlflow.artifactUri(runId), "model/a.json", dir.resolve("back.json"));
            assertEquals("{}", Files.readString(dir.resolve("back.json")), "artifacts go through the login too");
        }
        try (Mlflow anonymous = new Mlflow(server.trackingUri(), MlflowCredentials.NONE)) {
            StepFailure e = assertThrows(StepFailure.class, () -> anonymous.experimentId("auth-test"));
            assertTrue(e.getMessage().contains("(HTTP 401)"), e.getMessage());
            assertTrue(e.getMessage().contains("MLFLOW_TRACKING_USERNAME"), e.getMessage());
            assertFalse(e instanceof MlflowUnreachable, "a server that refuses a login is not down");
        }
        MlflowCredentials wrong = new MlflowCredentials(MlflowServerExtension.ADMIN, "not-the-password", null);
        try (Mlflow mlflow = new Mlflow(server.trackingUri(), wrong)) {
            assertTrue(assertThrows(StepFailure.class, () -> mlflow.experimentId("auth-test"))
                    .getMessage()
                    .contains("(HTTP 401)"));
        }
    }

    @Test
    void credentialsComeFromTheVariablesMlflowsClientsRead() {
        assertEquals(MlflowCredentials.NONE, MlflowCredentials.from(Map.of()));
        assertNull(MlflowCredentials.NONE.authorization());
        MlflowCredentials basic =
                MlflowCredentials.from(Map.of("MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", "pw"));
        assertEquals("Basic YWxpY2U6cHc=", basic.authorization());
        assertEquals("user alice", basic.toString(), "the password is never printed");
        MlflowCredentials token = MlflowCredentials.from(Map.of("MLFLOW_TRACKING_TOKEN", "t0k"));
        assertEquals("Bearer t0k", token.authorization());
        assertEquals("token", token.toString());

        UsageError half = assertThrows(
                UsageError.class, () -> MlflowCredentials.from(Map.of("MLFLOW_TRACKING_USERNAME", "alice")));
        assertTrue(half.getMessage().contains("set both"), half.getMessage());
        assertThrows(
                UsageError.class,
                () -> MlflowCredentials.from(Map.of(
                        "MLFLOW_TRACKING_USERNAME",
                        "a",
                        "MLFLOW_TRACKING_PASSWORD",
                        "b",
                        "MLFLOW_TRACKING_TOKEN",
                        "t")));
    }
}
