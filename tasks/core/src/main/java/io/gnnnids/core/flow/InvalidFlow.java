package io.gnnnids.core.flow;

/**
 * A record that cannot become a {@link Flow}: the reason (a stable code) and a human detail such as
 * {@code id.orig_p=70000 is outside 0-65535}. Bad records are ordinary data, so no stack trace is captured.
 */
public final class InvalidFlow extends Exception {
    private final Reason reason;
    private final String detail;

    public InvalidFlow(Reason reason, String detail) {
        super(reason.code() + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
