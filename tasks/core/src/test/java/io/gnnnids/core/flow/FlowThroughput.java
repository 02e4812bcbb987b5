package io.gnnnids.core.flow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rough single-thread throughput of parsing, writing and file reading, on the real sample records serialised as
 * Zeek JSON (about 330 bytes each). Not a test: run its main by hand, e.g.
 * {@code java -cp <test classpath> io.gnnnids.core.flow.FlowThroughput [rounds]}.
 */
public final class FlowThroughput {
    private static final Logger LOG = LoggerFactory.getLogger(FlowThroughput.class);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path csv = Records.sample("CTU-Malware-Capture-8-1-labeled.csv");
        List<Flow> flows = new ArrayList<>();
        try (FlowFileReader r = FlowFileReader.open(csv, FlowFormat.CSV)) {
            r.forEachRemaining(i -> flows.add(i.flow()));
        }
        List<byte[]> messages = new ArrayList<>();
        long bytes = 0;
        for (Flow f : flows) {
            byte[] json = ZeekJson.toJson(f);
            messages.add(json);
            bytes += json.length;
        }
        LOG.info("{} records, {} bytes on average", messages.size(), bytes / messages.size());

        FlowParser parser = new FlowParser();
        for (int round = 0; round < rounds; round++) {
            long n = 0;
            long start = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) {
                for (byte[] m : messages) {
                    if (parser.parseJson(m) != null) {
                        n++;
                    }
                }
            }
            report("parseJson(byte[])", n, start);

            n = 0;
            start = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) {
                for (Flow f : flows) {
                    n += ZeekJson.toJson(f).length > 0 ? 1 : 0;
                }
            }
            report("ZeekJson.toJson", n, start);
        }

        Path dir = Files.createTempDirectory("flow-throughput");
        Path json = dir.resolve("conn.json");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(json))) {
            for (int rep = 0; rep < 10; rep++) {
                for (byte[] m : messages) {
                    out.write(m);
                    out.write('\n');
                }
            }
        }
        Path bigCsv = dir.resolve("conn.csv");
        List<String> lines = Files.readAllLines(csv);
        try (var w = Files.newBufferedWriter(bigCsv)) {
            w.write(lines.get(0) + "\n");
            for (int rep = 0; rep < 10; rep++) {
                for (String l : lines.subList(1, lines.size())) {
                    w.write(l + "\n");
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            readFile(json);
            readFile(bigCsv);
        }
        Files.delete(json);
        Files.delete(bigCsv);
        Files.delete(dir);
    }

    private static void readFile(Path file) throws IOException {
        long start = System.nanoTime();
        long n = 0;
        try (FlowFileReader r = FlowFileReader.open(file, FlowFormat.AUTO)) {
            while (r.hasNext()) {
                if (r.next().valid()) {
                    n++;
                }
            }
        }
        report("FlowFileReader " + file.getFileName(), n, start);
    }

    private static void report(String what, long n, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        LOG.info(String.format("%-32s %,10d records in %.3f s = %,.0f records/s", what, n, seconds, n / seconds));
    }
}
