package io.gnnnids.core.cli;

import io.gnnnids.core.error.UsageError;
import picocli.CommandLine.Option;

/** --bootstrap-servers, for every step that talks to Kafka. */
public class KafkaOptions {

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    /** The bootstrap servers; a usage error when neither the option nor the variable gives them. */
    public String bootstrapServers() {
        return UsageError.require(bootstrapServers, "--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS");
    }

    public boolean isSet() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }
}
