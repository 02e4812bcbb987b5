package io.gnnnids.replay;

import io.gnnnids.core.cli.KafkaOptions;
import io.gnnnids.core.cli.TopicOption;
import io.gnnnids.core.cli.WorkDirOption;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.kafka.FlowProducer;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.simulator.FlowSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options both replay commands share: where the flows go, how fast, and where the manifest is written. */
public class Destination {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TopicOption topic;

    @Option(
            names = "--partitions",
            defaultValue = "3",
            description = "Partitions of the topic when replay creates it, as it does a missing topic (default "
                    + "${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--out", description = "Write Zeek JSON lines to this file instead of Kafka.")
    Path out;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "Flows per second; 0 sends as fast as possible (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--manifest-dir",
            defaultValue = "${env:NIDS_WORK_DIR}",
            description =
                    "Where the run's manifest goes: <dir>/replay/ (env NIDS_WORK_DIR; default the system temp folder, "
                            + "also when it is an s3:// URI).")
    String manifestDir;

    FlowSink open() throws IOException {
        if (rate < 0) throw new UsageError("--rate must be 0 or positive, got " + rate);
        if (out != null) return FlowSink.jsonLines(out);
        if (!kafka.isSet())
            throw new UsageError("missing --bootstrap-servers or --out (or set KAFKA_BOOTSTRAP_SERVERS)");
        String bootstrapServers = kafka.bootstrapServers();
        if (partitions < 1) throw new UsageError("--partitions must be at least 1, got " + partitions);
        FlowProducer.ensureTopic(bootstrapServers, topic.topic(), partitions);
        return FlowSink.kafka(bootstrapServers, topic.topic());
    }

    Path manifestFile(String kind) {
        Path dir = WorkDirOption.local(manifestDir);
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
        return ManifestPaths.ofRun(dir, "replay", kind + "-" + stamp);
    }
}
