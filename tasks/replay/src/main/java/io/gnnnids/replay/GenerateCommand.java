package io.gnnnids.replay;

import io.gnnnids.core.batch.StepRun;
import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.cli.UsageError;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.replay.FlowSink;
import io.gnnnids.core.replay.GeneratorOptions;
import io.gnnnids.core.replay.Pacer;
import io.gnnnids.core.replay.TrafficGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

@Command(name = "generate",
        description = "Generates labelled Zeek conn records of a simulated network (clients, servers, IoT devices, "
                + "external peers) with attack episodes: port scans, floods, brute force, command and control, "
                + "malware download, exfiltration. The seed shapes the network itself and its traffic.")
public class GenerateCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(GenerateCommand.class);

    @Option(names = "--flows", required = true, description = "Number of flows to generate.")
    long flows;

    @Option(names = "--hosts", description = "Hosts in the simulated network, 1 to 50000; below 10 a home behind its router (default 200).")
    Integer hosts;

    @Option(names = "--days", description = "Days of traffic (default 1).")
    Integer days;

    @Option(names = "--start", description = "First day, as an ISO date (2026-01-31) or instant (default: --days before today, UTC).")
    String start;

    @Option(names = "--attack-ratio", description = "Share of attack flows, 0 to 1 (default 0.1).")
    Double attackRatio;

    @Option(names = "--seed", description = "Seed of the network and its traffic (default 1).")
    Long seed;

    @Mixin
    Destination destination;

    @Override
    protected Path run() throws Exception {
        GeneratorOptions options;
        try {
            Instant first = start == null ? null : GeneratorOptions.parseStart(start);
            options = GeneratorOptions.withDefaults(flows, hosts, days, first, attackRatio, seed, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        StepRun run = new StepRun("replay");
        Map<String, Long> families = new TreeMap<>();
        Pacer pacer = new Pacer(destination.rate, options.flows());
        try (FlowSink sink = destination.open()) {
            log.info("generating {} flows of a {}-host network (seed {}) to {}", options.flows(), options.hosts(),
                    options.seed(), sink.describe());
            TrafficGenerator generator = new TrafficGenerator(options);
            while (generator.hasNext()) {
                Flow f = generator.next();
                sink.accept(f);
                families.merge(f.detailedLabel() == null ? Flow.BENIGN : f.detailedLabel(), 1L, Long::sum);
                pacer.tick();
            }
            run.output("destination", sink.describe());
        }
        log.info("sent {} flows in {} s ({} flows/s)", pacer.count(), String.format("%.1f", pacer.seconds()),
                Math.round(pacer.perSecond()));
        run.count("flows", pacer.count()).reasons(families)
                .info("seed", options.seed()).info("hosts", options.hosts()).info("days", options.days())
                .info("start", options.start()).info("attack_ratio", options.attackRatio());
        return run.write(destination.manifestFile("generate"));
    }
}
