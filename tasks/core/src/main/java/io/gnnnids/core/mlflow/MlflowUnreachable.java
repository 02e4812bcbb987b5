package io.gnnnids.core.mlflow;

import io.gnnnids.core.error.StepFailure;

/**
 * The MLflow server could not be reached at all (refused, unknown host, connect timeout), as opposed to a server
 * that answered with an error. Steps that have a cached champion go on with it.
 */
public final class MlflowUnreachable extends StepFailure {
    MlflowUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
