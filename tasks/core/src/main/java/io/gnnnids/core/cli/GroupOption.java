package io.gnnnids.core.cli;

import picocli.CommandLine.Option;

/** --group: the ETL's consumer group, whose committed offsets mark what is stored. */
public class GroupOption {

    @Option(
            names = "--group",
            defaultValue = "${env:NIDS_GROUP_ID:-gnn-nids-etl}",
            description = "Consumer group whose committed offsets mark what is stored (env NIDS_GROUP_ID, default "
                    + "${DEFAULT-VALUE}).")
    String group;

    public String group() {
        return group;
    }
}
