package io.gnnnids.core.cli;

import picocli.CommandLine.Option;

/** --topic: the Kafka topic of Zeek conn records, which replay sends to and the ETL reads. */
public class TopicOption {

    @Option(
            names = "--topic",
            defaultValue = "${env:NIDS_TOPIC:-zeek-conn}",
            description = "Topic of Zeek conn records (env NIDS_TOPIC, default ${DEFAULT-VALUE}).")
    String topic;

    public String topic() {
        return topic;
    }
}
