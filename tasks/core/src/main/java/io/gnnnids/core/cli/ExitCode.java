package io.gnnnids.core.cli;

/** The exit codes of every step, as the DAGs read them. */
public final class ExitCode {
    public static final int OK = 0;
    /** Any failure worth a retry (Airflow retries the task). */
    public static final int FAILURE = 1;
    /** Bad usage or configuration: retrying will not help. */
    public static final int USAGE = 2;
    /**
     * The step did its work and its result was refused ({@code train}'s quality gate): the same input would be
     * refused again, so the task is not retried.
     */
    public static final int REFUSED = 3;
    /** Nothing to do: the DAG marks the task skipped ({@code skip_on_exit_code=99}). */
    public static final int NOTHING_TO_DO = 99;

    private ExitCode() {}
}
