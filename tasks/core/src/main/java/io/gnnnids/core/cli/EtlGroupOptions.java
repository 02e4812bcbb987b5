package io.gnnnids.core.cli;

import picocli.CommandLine.Option;

/** --topic and --group: the topic the ETL reads and the consumer group whose committed offsets mark what is stored. */
public class EtlGroupOptions {

    @Option(
            names = "--topic",
            defaultValue = "${env:NIDS_TOPIC:-zeek-conn}",
            description = "Topic of Zeek conn records (env NIDS_TOPIC, default ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = "--group",
            defaultValue = "${env:NIDS_GROUP_ID:-gnn-nids-etl}",
            description = "Consumer group whose committed offsets mark what is stored (env NIDS_GROUP_ID, default "
                    + "${DEFAULT-VALUE}).")
    String group;

    public String topic() {
        return topic;
    }

    public String group() {
        return group;
    }
}
