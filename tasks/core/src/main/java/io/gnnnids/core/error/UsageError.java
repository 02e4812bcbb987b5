package io.gnnnids.core.error;

/** Bad options or configuration; ends the run with exit 2 and this one-line message. */
public class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }

    /** The value, or a usage error naming the option and its environment variable. */
    public static <T> T require(T value, String option, String envVar) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new UsageError("missing " + option + " (or set " + envVar + ")");
        }
        return value;
    }
}
