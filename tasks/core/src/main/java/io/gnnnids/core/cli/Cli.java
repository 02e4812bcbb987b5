package io.gnnnids.core.cli;

import io.gnnnids.core.error.NothingToDo;
import io.gnnnids.core.error.Refused;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs a step command with the project's conventions for exit codes and error messages. */
public final class Cli {

    private Cli() {}

    /**
     * Entry point for a step's {@code main}: runs and exits the JVM with the step's exit code. The step's
     * {@code meanwhile} pieces, then picocli's first command line, run on a second thread ({@link Meanwhile}) while
     * this one builds the command (which sets up logging) and parses the options.
     */
    public static void main(Supplier<Object> command, String[] args, Runnable... meanwhile) {
        // Before any thread logs: SLF4J binds the step's logging without looking its providers up in the jar, and
        // keeps to itself the notice that it was told which one (StepLoggingProvider).
        setIfUnset("slf4j.provider", StepLoggingProvider.class.getName());
        setIfUnset("slf4j.internal.verbosity", "WARN");
        Runnable[] pieces = Arrays.copyOf(meanwhile, meanwhile.length + 1);
        pieces[meanwhile.length] = Cli::prepare;
        Meanwhile.start(pieces);
        System.exit(run(command.get(), args));
    }

    private static void setIfUnset(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Builds a small command's model, for {@link Meanwhile}: the first command line of a JVM loads picocli, makes
     * a class for each of its annotations and registers its converters, some 50 ms on 2 cores, which the step's
     * own command line then finds done.
     */
    static void prepare() {
        new CommandLine(new Prepared());
    }

    @Command(name = "prepare")
    private static final class Prepared {
        @Option(names = "--option")
        String option;

        @Mixin
        Mixed mixed = new Mixed();

        static final class Mixed {
            @Option(names = "--mixed")
            String option;
        }
    }

    /** Runs the command and returns its exit code; out and err as given (tests pass their own writers). */
    public static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static int run(Object command, String[] args) {
        return commandLine(command).execute(args);
    }

    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        listExitCodes(cl);
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + ex.getMessage() + " (see --help)");
            c.getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            boolean verbose = c.getCommand() instanceof StepCommand s && s.verbose()
                    || (parseResult != null && parseResult.hasMatchedOption("--verbose"));
            PrintWriter err = c.getErr();
            int code;
            if (ex instanceof NothingToDo) {
                err.println(c.getCommandName() + ": nothing to do: " + ex.getMessage());
                code = ExitCode.NOTHING_TO_DO;
            } else if (ex instanceof UsageError) {
                err.println(c.getCommandName() + ": " + ex.getMessage() + " (see --help)");
                code = ExitCode.USAGE;
            } else {
                err.println(c.getCommandName() + ": error: " + describe(ex)
                        + (verbose ? "" : " (run with --verbose for the stack trace)"));
                if (verbose) ex.printStackTrace(err);
                code = ex instanceof Refused ? ExitCode.REFUSED : ExitCode.FAILURE;
            }
            err.flush();
            return code;
        });
        return cl;
    }

    /** Gives every step command in the tree (replay's subcommands too) its exit-code list in --help. */
    private static void listExitCodes(CommandLine cl) {
        if (cl.getCommand() instanceof StepCommand step) {
            cl.getCommandSpec()
                    .usageMessage()
                    .exitCodeListHeading("%nExit codes:%n")
                    .exitCodeList(ExitCode.helpList(step.exitCodes()));
        }
        cl.getSubcommands().values().forEach(Cli::listExitCodes);
    }

    /** One readable line for a failure: the deepest message that says something, with its type when unclear. */
    public static String describe(Throwable ex) {
        Throwable t = ex;
        String best = null;
        while (t != null) {
            String msg = t.getMessage();
            if (t instanceof NoSuchFileException) {
                msg = "no such file: " + msg;
            }
            if (msg != null
                    && !msg.isBlank()
                    && !(t instanceof UncheckedIOException)
                    && !(t instanceof SQLException && best != null)) {
                best = msg;
            } else if (best == null && msg == null) {
                best = t.getClass().getSimpleName();
            }
            if (t.getCause() == t) break;
            // Prefer the outermost message that we wrote ourselves (they already name the cause and the fix).
            if (t instanceof StepFailure) {
                return msg;
            }
            t = t.getCause();
        }
        return Optional.ofNullable(best).orElse(ex.toString()).replace('\n', ' ');
    }

    /** The project version from the jar manifest ("dev" when run from classes). */
    public static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Picocli's --version. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gnn-nids " + version()};
        }
    }
}
