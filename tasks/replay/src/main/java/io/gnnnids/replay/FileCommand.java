package io.gnnnids.replay;

import io.gnnnids.core.cli.Cli;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.simulator.FlowSink;
import io.gnnnids.simulator.Pacer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "file",
        description = "Sends existing Zeek conn logs: JSON lines, TSV with a #fields header (IoT-23 conn.log.labeled "
                + "included), or CSV with Zeek field names as header; .gz files are read as well. Records that fail "
                + "validation are not sent: they are counted by reason and the first ones are logged with their line. "
                + "A file that cannot be read (missing, unreadable, not a Zeek conn log) is reported and skipped; "
                + "the others are sent, then the run exits 1 naming it.")
public class FileCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(FileCommand.class);
    private static final int LOGGED_REJECTS = 10;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Zeek log files.")
    List<Path> paths;

    @Option(
            names = "--format",
            defaultValue = "auto",
            description = "auto, json, tsv or csv (default ${DEFAULT-VALUE}: detected from the content).")
    FlowFormat format;

    @Option(
            names = "--rebase-time",
            description = "Shift timestamps so the first flow happens now, keeping the spacing between flows.")
    boolean rebaseTime;

    @Mixin
    Destination destination;

    @Override
    protected Path run() throws Exception {
        StepRun run = new StepRun("replay");
        Map<String, Long> rejected = new TreeMap<>();
        Pacer pacer = new Pacer(destination.rate, -1);
        Double shift = null;
        long rejects = 0;
        List<String> failed = new ArrayList<>();
        try (FlowSink sink = destination.open()) {
            for (Path p : paths) {
                log.info("sending {} to {}", p, sink.describe());
                long before = pacer.count();
                try (FlowFileReader reader = open(p)) {
                    FlowFileReader.Item item;
                    while ((item = next(reader)) != null) {
                        if (item.flow() == null) {
                            rejected.merge(item.error().reason().code(), 1L, Long::sum);
                            if (rejects++ < LOGGED_REJECTS) {
                                log.warn(
                                        "{}:{}: not sent: {}",
                                        p,
                                        item.lineNumber(),
                                        item.error().getMessage());
                            }
                            continue;
                        }
                        Flow f = item.flow();
                        if (rebaseTime) {
                            if (shift == null) shift = System.currentTimeMillis() / 1000.0 - f.ts();
                            f = f.withTs(f.ts() + shift);
                        }
                        sink.accept(f);
                        pacer.tick();
                    }
                    run.output("input:" + p.getFileName(), p.toAbsolutePath());
                } catch (Unreadable e) {
                    long sent = pacer.count() - before;
                    String what = e.getMessage() + (sent > 0 ? " (its first " + sent + " flows were sent)" : "");
                    log.error("{}; going on with the other files", what);
                    failed.add(p.toString());
                    run.info("failed:" + p.getFileName(), what);
                }
            }
            run.output("destination", sink.describe());
        }
        log.info(
                "sent {} flows in {} s ({} flows/s), {} records not sent {}",
                pacer.count(),
                String.format("%.1f", pacer.seconds()),
                Math.round(pacer.perSecond()),
                rejects,
                rejected);
        run.count("flows", pacer.count())
                .count("rejected", rejects)
                .reasons(rejected)
                .count("files", paths.size())
                .count("files_failed", failed.size());
        Path manifest = run.write(destination.manifestFile("file"));
        if (!failed.isEmpty()) {
            throw new StepFailure(failed.size() + " of " + paths.size() + " files could not be read: "
                    + String.join(", ", failed) + "; the flows of the others were sent (" + manifest + ")");
        }
        return manifest;
    }

    /** A file that cannot be read as a conn log; the message names it and says what to do. */
    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private FlowFileReader open(Path p) throws Unreadable {
        try {
            return FlowFileReader.open(p, format);
        } catch (NoSuchFileException e) {
            throw new Unreadable(p + ": no such file; check the path");
        } catch (AccessDeniedException e) {
            throw new Unreadable(p + ": permission denied; make it readable for this user");
        } catch (IOException | UncheckedIOException e) {
            throw new Unreadable(p + ": cannot be read (" + Cli.describe(e) + "); is it a Zeek conn log?");
        } catch (StepFailure e) {
            throw new Unreadable(e.getMessage()); // names the file, what was found and the formats read
        }
    }

    /** The file's next record, or null at its end; read errors become Unreadable, send errors stay as they are. */
    private static FlowFileReader.Item next(FlowFileReader reader) throws Unreadable {
        try {
            return reader.hasNext() ? reader.next() : null;
        } catch (UncheckedIOException | StepFailure e) {
            throw new Unreadable(e.getMessage());
        }
    }
}
