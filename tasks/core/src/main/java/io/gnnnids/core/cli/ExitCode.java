package io.gnnnids.core.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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

    /** Why a step ends with each code every step has, as --help lists them. */
    private static final Map<Integer, String> COMMON = Map.of(
            OK, "done",
            FAILURE, "a failure",
            USAGE, "bad usage or configuration: the message says what to fix");

    /** What Airflow makes of each code: the same for every step. */
    private static final Map<Integer, String> CONSEQUENCE = Map.of(
            FAILURE, "Airflow retries the task",
            USAGE, "not retried",
            REFUSED, "not retried",
            NOTHING_TO_DO, "Airflow marks the task skipped");

    private ExitCode() {}

    /**
     * The exit-code list of a step's --help, in numeric order: why the step ends with each code (the common reason
     * where {@link StepCommand#exitCodes()} gives none), and what Airflow makes of it.
     */
    static Map<String, String> helpList(Map<Integer, String> stepReasons) {
        Map<Integer, String> reasons = new TreeMap<>(COMMON);
        reasons.putAll(stepReasons);
        Map<String, String> out = new LinkedHashMap<>();
        reasons.forEach((code, reason) -> {
            String consequence = CONSEQUENCE.get(code);
            out.put(String.valueOf(code), consequence == null ? reason : reason + " (" + consequence + ")");
        });
        return out;
    }
}
