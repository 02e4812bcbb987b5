package io.gnnnids.replay;

import io.gnnnids.core.cli.Cli;
import picocli.CommandLine.Command;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Sends Zeek conn records to Kafka (or a JSON-lines file): synthetic labelled traffic of a "
                + "simulated network, or existing Zeek logs.",
        subcommands = {GenerateCommand.class, FileCommand.class})
public class ReplayCommand {
    public static void main(String[] args) {
        Cli.main(ReplayCommand::new, args);
    }
}
