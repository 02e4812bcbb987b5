package io.gnnnids.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class ExitCodeListTest {

    @Command(name = "stage")
    static class Stage extends StepCommand {
        @Override
        protected Path run() {
            return Path.of("manifest.json");
        }

        @Override
        protected Map<Integer, String> exitCodes() {
            return Map.of(ExitCode.NOTHING_TO_DO, "nothing new on the topic");
        }
    }

    @Command(name = "plain")
    static class Plain extends StepCommand {
        @Override
        protected Path run() {
            return Path.of("manifest.json");
        }
    }

    @Command(
            name = "tool",
            subcommands = {Plain.class})
    static class Tool {}

    private static String help(Object command, String... args) {
        StringWriter out = new StringWriter();
        assertEquals(0, Cli.run(command, args, new PrintWriter(out), new PrintWriter(new StringWriter())));
        // Picocli pads the codes to the widest: compare with single spaces.
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void helpListsTheCommonCodesWithTheStepsOwnInNumericOrder() {
        String help = help(new Stage(), "--help");
        int heading = help.indexOf("Exit codes:");
        assertTrue(heading > 0, help);
        String list = help.substring(heading);
        String[] expected = {
            "0 done",
            "1 a failure (Airflow retries the task)",
            "2 bad usage or configuration: the message says what to fix (not retried)",
            "99 nothing new on the topic (Airflow marks the task skipped)"
        };
        int at = 0;
        for (String line : expected) {
            int found = list.indexOf(line, at);
            assertTrue(found >= at, "'" + line + "' in order in:\n" + list);
            at = found;
        }
    }

    @Test
    void aStepWithoutCodesOfItsOwnListsTheCommonOnesAndSoDoSubcommands() {
        String help = help(new Tool(), "plain", "--help");
        assertTrue(help.contains("Exit codes:"), help);
        assertTrue(help.contains("0 done"), help);
        assertTrue(!help.contains("99"), help);
    }
}
