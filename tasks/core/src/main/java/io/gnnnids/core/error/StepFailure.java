package io.gnnnids.core.error;

/**
 * A failure whose message already says what went wrong and what to do; printed as is (exit 1).
 * Wrap low-level exceptions in it where the step knows better than the library what the user should do.
 */
public class StepFailure extends RuntimeException {
    public StepFailure(String message) {
        super(message);
    }

    public StepFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
