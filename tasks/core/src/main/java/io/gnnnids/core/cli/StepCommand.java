package io.gnnnids.core.cli;

import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.UsageError;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of every step command. A step implements {@link #run()}, which does the work and returns the path of the
 * manifest it wrote; this class prints that path as the last line of stdout (what Airflow pushes to XCom) and
 * maps failures to the exit codes in {@link ExitCode} (see {@link Cli}). The ETL steps, whose manifest may be an
 * object in S3, extend {@link BatchStepCommand} instead.
 */
@CommandLine.Command(
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        showDefaultValues = false)
public abstract class StepCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = "--verbose", description = "Debug logging, and stack traces on failure.")
    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            StepLogging.verbose();
        }
    }

    boolean verbose;

    /** Does the step's work; returns the manifest written, or throws {@link NothingToDo} / {@link UsageError}. */
    protected abstract Path run() throws Exception;

    /** Runs the step; returns what {@link #call()} prints: the manifest's absolute path. */
    String runForManifest() throws Exception {
        return run().toAbsolutePath().toString();
    }

    @Override
    public Integer call() throws Exception {
        String manifest = runForManifest();
        // Everything logged so far went to stderr; this line must be the last output of the process.
        System.err.flush();
        spec.commandLine().getOut().println(manifest);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /**
     * Why this step ends with its own exit codes, for --help's exit-code list: a step that can end with 99 or 3
     * says when; codes it leaves out keep their common reason ({@link ExitCode}).
     */
    protected Map<Integer, String> exitCodes() {
        return Map.of();
    }

    public boolean verbose() {
        return verbose;
    }
}
