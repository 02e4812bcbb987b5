package io.gnnnids.core.error;

/**
 * The step did its work and its result was refused (a quality gate): exit
 * {@link io.gnnnids.core.cli.ExitCode#REFUSED}, not retried, since the same input would be refused again. The message
 * says why and what to do, as a {@link StepFailure}'s.
 */
public class Refused extends StepFailure {
    public Refused(String message) {
        super(message);
    }
}
