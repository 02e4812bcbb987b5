package io.gnnnids.replay;

import io.gnnnids.core.batch.StepRun;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.UsageError;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.replay.FlowSink;
import io.gnnnids.core.replay.Pacer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Command(name = "file",
        description = "Sends existing Zeek conn logs: JSON lines, TSV with a #fields header (IoT-23 conn.log.labeled "
                + "included), or CSV with Zeek field names as header; .gz files are read as well. Records that fail "
                + "validation are not sent: they are counted by reason and the first ones are logged with their line.")
public class FileCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(FileCommand.class);
    private static final int LOGGED_REJECTS = 10;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Zeek log files.")
    List<Path> paths;

    @Option(names = "--format", defaultValue = "auto",
            description = "auto, json, tsv or csv (default ${DEFAULT-VALUE}: detected from the content).")
    FlowFormat format;

    @Option(names = "--rebase-time",
            description = "Shift timestamps so the first flow happens now, keeping the spacing between flows.")
    boolean rebaseTime;

    @Mixin
    Destination destination;

    @Override
    protected Path run() throws Exception {
        for (Path p : paths) {
            if (!Files.isReadable(p)) throw new UsageError("cannot read " + p);
        }
        StepRun run = new StepRun("replay");
        Map<String, Long> rejected = new TreeMap<>();
        Pacer pacer = new Pacer(destination.rate, -1);
        Double shift = null;
        long rejects = 0;
        try (FlowSink sink = destination.open()) {
            for (Path p : paths) {
                log.info("sending {} to {}", p, sink.describe());
                try (FlowFileReader reader = FlowFileReader.open(p, format)) {
                    while (reader.hasNext()) {
                        FlowFileReader.Item item = reader.next();
                        if (item.flow() == null) {
                            rejected.merge(item.error().reason().code(), 1L, Long::sum);
                            if (rejects++ < LOGGED_REJECTS) {
                                log.warn("{}:{}: not sent: {}", p, item.lineNumber(), item.error().getMessage());
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
                }
                run.output("input:" + p.getFileName(), p.toAbsolutePath());
            }
            run.output("destination", sink.describe());
        }
        log.info("sent {} flows in {} s ({} flows/s), {} records not sent {}", pacer.count(),
                String.format("%.1f", pacer.seconds()), Math.round(pacer.perSecond()), rejects, rejected);
        run.count("flows", pacer.count()).count("rejected", rejects).reasons(rejected);
        return run.write(destination.manifestFile("file"));
    }
}
