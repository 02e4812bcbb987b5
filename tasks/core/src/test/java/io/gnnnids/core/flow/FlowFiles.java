package io.gnnnids.core.flow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** What the flow file tests share: writing a file into the test's folder and reading it back as items. */
final class FlowFiles {
    private FlowFiles() {}

    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    static List<FlowFileReader.Item> readAll(Path file, FlowFormat format) throws IOException {
        List<FlowFileReader.Item> items = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(file, format)) {
            r.forEachRemaining(items::add);
        }
        return items;
    }

    /** The flows of a file whose every record is valid (null for a rejected one). */
    static List<Flow> flows(Path file, FlowFormat format) throws IOException {
        return readAll(file, format).stream().map(FlowFileReader.Item::flow).toList();
    }

    static void assertAllValid(List<FlowFileReader.Item> items) {
        for (FlowFileReader.Item item : items) {
            assertTrue(
                    item.valid(),
                    () -> "line " + item.lineNumber() + ": " + item.error().getMessage() + " in " + item.raw());
            assertFalse(item.flow() == null);
        }
    }

    static Map<String, Long> countBy(List<FlowFileReader.Item> items, Function<Flow, String> key) {
        Map<String, Long> counts = new TreeMap<>();
        for (FlowFileReader.Item item : items) {
            counts.merge(key.apply(item.flow()), 1L, Long::sum);
        }
        return counts;
    }
}
