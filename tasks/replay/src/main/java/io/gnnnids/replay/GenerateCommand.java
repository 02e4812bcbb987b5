package io.gnnnids.replay;

import io.gnnnids.core.cli.StepCommand;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.step.StepRun;
import io.gnnnids.simulator.FlowSink;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.LiveTraffic;
import io.gnnnids.simulator.Pacer;
import io.gnnnids.simulator.TrafficGenerator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "generate",
        description = "Generates labelled Zeek conn records of a simulated network (clients, servers, IoT devices, "
                + "external peers) with attack episodes: port scans, floods, brute force, command and control, "
                + "malware download, exfiltration. The seed shapes the network itself and its traffic. With --live "
                + "it streams the network's traffic as it happens, until stopped.")
public class GenerateCommand extends StepCommand {
    private static final Logger log = LoggerFactory.getLogger(GenerateCommand.class);

    @Option(
            names = "--flows",
            description =
                    "Number of flows to generate (required without --live; with --live, " + "stop after this many).")
    Long flows;

    @Option(
            names = "--live",
            description = "Stream until stopped (Ctrl-C, SIGTERM) at --rate flows per second, each "
                    + "flow stamped with the moment it is sent: a live network for a running pipeline. The seed picks "
                    + "the "
                    + "network; its traffic differs on every run. --days and --start do not apply.")
    boolean live;

    @Option(
            names = "--hosts",
            description =
                    "Hosts in the simulated network, 1 to 50000; below 10 a home behind its router (default 200).")
    Integer hosts;

    @Option(names = "--days", description = "Days of traffic (default 1).")
    Integer days;

    @Option(
            names = "--start",
            description = "First day, as an ISO date (2026-01-31) or instant (default: --days before today, UTC).")
    String start;

    @Option(names = "--attack-ratio", description = "Share of attack flows, 0 to 1 (default 0.1).")
    Double attackRatio;

    @Option(names = "--seed", description = "Seed of the network and its traffic (default 1).")
    Long seed;

    @Mixin
    Destination destination;

    /** Set while a --live run streams; lets a shutdown (Ctrl-C, SIGTERM) end it cleanly. */
    private ShutdownStop stop;

    @Override
    protected Path run() throws Exception {
        return live ? runLive() : runFixed();
    }

    @Override
    public Integer call() throws Exception {
        try {
            return super.call();
        } finally {
            // Only now, with the manifest path printed, may a shutdown that asked the stream to stop go on.
            if (stop != null) stop.close();
        }
    }

    private Path runFixed() throws Exception {
        if (flows == null) throw new UsageError("missing --flows (or --live to stream until stopped)");
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
            log.info(
                    "generating {} flows of a {}-host network (seed {}) to {}",
                    options.flows(),
                    options.hosts(),
                    options.seed(),
                    sink.describe());
            send(new TrafficGenerator(options), Long.MAX_VALUE, sink, families, pacer);
            run.output("destination", sink.describe());
        }
        log.info(
                "sent {} flows in {} s ({} flows/s)",
                pacer.count(),
                String.format("%.1f", pacer.seconds()),
                Math.round(pacer.perSecond()));
        run.count("flows", pacer.count())
                .reasons(families)
                .info("seed", options.seed())
                .info("hosts", options.hosts())
                .info("days", options.days())
                .info("start", options.start())
                .info("attack_ratio", options.attackRatio());
        return run.write(destination.manifestFile("generate"));
    }

    private Path runLive() throws Exception {
        if (days != null || start != null) {
            throw new UsageError(
                    "--days and --start do not apply with --live: each flow is stamped with the moment it is sent");
        }
        if (!(destination.rate > 0)) throw new UsageError("--live needs --rate: the flows per second to send");
        if (flows != null && flows < 0) throw new UsageError("--flows must be 0 or more, got " + flows);
        int h = hosts == null ? GeneratorOptions.DEFAULT_HOSTS : hosts;
        long s = seed == null ? GeneratorOptions.DEFAULT_SEED : seed;
        double ratio = attackRatio == null ? GeneratorOptions.DEFAULT_ATTACK_RATIO : attackRatio;
        LiveTraffic traffic;
        try {
            traffic = LiveTraffic.start(h, s, ratio, destination.rate, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        StepRun run = new StepRun("replay");
        Map<String, Long> families = new TreeMap<>();
        Pacer pacer = new Pacer(destination.rate, flows == null ? -1 : flows);
        try (FlowSink sink = destination.open()) {
            stop = new ShutdownStop();
            log.info(
                    "streaming a {}-host network (seed {}) at {} flows/s to {} until stopped{}",
                    h,
                    s,
                    destination.rate,
                    sink.describe(),
                    flows == null ? "" : " or " + flows + " flows are sent");
            send(traffic, flows == null ? Long.MAX_VALUE : flows, sink, families, pacer);
            run.output("destination", sink.describe());
        }
        log.info(
                "sent {} flows in {} s ({} flows/s){}",
                pacer.count(),
                String.format("%.1f", pacer.seconds()),
                Math.round(pacer.perSecond()),
                stop.requested() ? ": stopped" : "");
        run.count("flows", pacer.count())
                .reasons(families)
                .info("live", true)
                .info("seed", s)
                .info("hosts", h)
                .info("attack_ratio", ratio)
                .info("rate", destination.rate)
                .info("flows_per_day", traffic.flowsPerDay())
                .info("simulated_days", traffic.days());
        return run.write(destination.manifestFile("generate"));
    }

    /** Sends flows until the source ends, {@code limit} are sent or a shutdown asks to stop. */
    private void send(Iterator<Flow> source, long limit, FlowSink sink, Map<String, Long> families, Pacer pacer)
            throws Exception {
        while (source.hasNext() && pacer.count() < limit && (stop == null || !stop.requested())) {
            Flow f = source.next();
            sink.accept(f);
            families.merge(f.detailedLabel() == null ? Flow.BENIGN : f.detailedLabel(), 1L, Long::sum);
            pacer.tick();
        }
    }
}
