package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gnnnids.core.flow.Flow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Flows for store tests: deterministic values, every optional field set or null by turns. */
public final class TestFlows {

    private TestFlows() {}

    /** A flow at the given epoch seconds; odd n leaves the optional fields null. */
    public static Flow flow(String uid, double ts, int n) {
        return flow(uid, ts, n, "192.168.1." + (n % 250), "10.0.0." + (n % 7), 80 + n % 3);
    }

    /** As {@link #flow(String, double, int)} with n 2, from {@code orig} to {@code resp} on {@code port}. */
    public static Flow between(String uid, double ts, String orig, String resp, int port) {
        return flow(uid, ts, 2, orig, resp, port);
    }

    private static Flow flow(String uid, double ts, int n, String orig, String resp, int port) {
        boolean sparse = n % 2 == 1;
        return new Flow(
                ts,
                uid,
                orig,
                1024 + n % 60000,
                resp,
                port,
                n % 3 == 0 ? "udp" : "tcp",
                sparse ? null : "http",
                sparse ? null : n * 0.5,
                sparse ? null : 100L * n,
                sparse ? null : 3_000_000_000L + n,
                sparse ? null : "SF",
                sparse ? null : Boolean.TRUE,
                sparse ? null : Boolean.FALSE,
                sparse ? null : 0L,
                sparse ? null : "ShADadFf",
                sparse ? null : (long) n,
                sparse ? null : 40L * n,
                sparse ? null : (long) (n + 1),
                sparse ? null : 60L * n,
                n % 5 == 0 ? Flow.MALICIOUS : Flow.BENIGN,
                n % 5 == 0 ? "PartOfAHorizontalPortScan" : null);
    }

    /** count flows with uids prefix0..prefixN, ts one second apart from start. */
    public static List<Flow> flows(String uidPrefix, int count, double start) {
        return flows(uidPrefix, count, start, 1);
    }

    /** As above, {@code spacing} seconds apart: enough of them fill several time windows. */
    public static List<Flow> flows(String uidPrefix, int count, double start, double spacing) {
        List<Flow> flows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) flows.add(flow(uidPrefix + i, start + spacing * i, i));
        return flows;
    }

    /** Scores the stored flows {@code score} with model version 7 and threshold 0.5: above it, an attack. */
    static void predict(HotStore hot, float score, String... uids) {
        float[] scores = new float[uids.length];
        Arrays.fill(scores, score);
        assertEquals(uids.length, HotPredictions.write(hot, List.of(uids), scores, 0.5, "7"));
    }

    public static Path write(Path file, List<Flow> flows) throws IOException {
        try (ParquetFlowWriter w = new ParquetFlowWriter(file)) {
            flows.forEach(w::write);
        }
        return file;
    }
}
