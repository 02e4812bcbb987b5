package io.gnnnids.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.testing.Bench;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-thread throughput of parsing Zeek JSON, writing it, and reading files, on the real sample records (about
 * 330 bytes each as Zeek JSON). The best of five rounds, so the JIT has warmed up: {@code bench.flow.*} in flows/s.
 */
@Tag("bench")
class FlowBenchmark {
    private static final int ROUNDS = 5;

    @TempDir
    Path tmp;

    @Test
    void parseWriteAndReadFiles() throws Exception {
        Path csv = Records.sample("CTU-Malware-Capture-8-1-labeled.csv");
        List<Flow> flows = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(csv, FlowFormat.CSV)) {
            r.forEachRemaining(i -> flows.add(i.flow()));
        }
        List<byte[]> messages = flows.stream().map(ZeekJson::toJson).toList();

        FlowParser parser = new FlowParser();
        double parse = 0, write = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long n = 0, start = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) for (byte[] m : messages) if (parser.parseJson(m) != null) n++;
            parse = Math.max(parse, Bench.perSecond(n, start));
            assertEquals(20L * messages.size(), n, "every sample record parses");

            n = 0;
            start = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) for (Flow f : flows) n += ZeekJson.toJson(f).length > 0 ? 1 : 0;
            write = Math.max(write, Bench.perSecond(n, start));
        }
        Bench.print("bench.flow.parse_json_flows_per_s", parse, "flows/s");
        Bench.print("bench.flow.to_json_flows_per_s", write, "flows/s");

        Path json = tmp.resolve("conn.json");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(json))) {
            for (int rep = 0; rep < 10; rep++) {
                for (byte[] m : messages) {
                    out.write(m);
                    out.write('\n');
                }
            }
        }
        Path bigCsv = tmp.resolve("conn.csv");
        List<String> lines = Files.readAllLines(csv);
        try (var w = Files.newBufferedWriter(bigCsv)) {
            w.write(lines.get(0) + "\n");
            for (int rep = 0; rep < 10; rep++) for (String l : lines.subList(1, lines.size())) w.write(l + "\n");
        }
        double readJson = 0, readCsv = 0;
        for (int round = 0; round < ROUNDS; round++) {
            readJson = Math.max(readJson, readFile(json, 10L * flows.size()));
            readCsv = Math.max(readCsv, readFile(bigCsv, 10L * flows.size()));
        }
        Bench.print("bench.flow.read_json_file_flows_per_s", readJson, "flows/s");
        Bench.print("bench.flow.read_csv_file_flows_per_s", readCsv, "flows/s");
    }

    /** Reads the file whole; returns flows/s. */
    private static double readFile(Path file, long expected) throws Exception {
        long start = System.nanoTime();
        long n = 0;
        try (FlowFileReader r = FlowFileReader.open(file, FlowFormat.AUTO)) {
            while (r.hasNext()) if (r.next().valid()) n++;
        }
        double rate = Bench.perSecond(n, start);
        assertEquals(expected, n, file + ": every record read");
        return rate;
    }
}
