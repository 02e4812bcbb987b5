package io.gnnnids.core.evaluation;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowFileReader;
import io.gnnnids.core.flow.FlowFormat;
import io.gnnnids.core.flow.QuarantineWriter;
import io.gnnnids.core.model.TrainingData;
import io.gnnnids.core.util.TimeRange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flows of one capture, scored on their own: one file, or a date range of the cold store. Captures are never
 * mixed in one graph, since their addresses may collide.
 *
 * @param name             short name for reports and metric names (the file's name without extension)
 * @param source           the file's absolute path, or the cold store and range
 * @param flows            every valid flow, labelled or not, in ts order
 * @param rejected         records that could not be read (quarantined)
 * @param rejectedByReason those records per reason code
 */
public record EvaluationInput(
        String name, String source, List<Flow> flows, long rejected, Map<String, Long> rejectedByReason) {
    private static final Logger log = LoggerFactory.getLogger(EvaluationInput.class);
    private static final int LOGGED_REJECTS = 10;

    /** Reads a Zeek log in any format {@code replay file} reads; bad records go to the quarantine, counted. */
    public static EvaluationInput readFile(Path file, String name, QuarantineWriter quarantine) throws IOException {
        List<Flow> flows = new ArrayList<>();
        Map<String, Long> rejected = new TreeMap<>();
        long rejects = 0;
        try (FlowFileReader reader = FlowFileReader.open(file, FlowFormat.AUTO)) {
            while (reader.hasNext()) {
                FlowFileReader.Item item = reader.next();
                if (item.valid()) {
                    flows.add(item.flow());
                    continue;
                }
                rejected.merge(item.error().reason().code(), 1L, Long::sum);
                quarantine.write(item.bytes(), item.error(), file.toString(), item.lineNumber());
                if (rejects++ < LOGGED_REJECTS) {
                    log.warn(
                            "{}:{}: not evaluated: {}",
                            file,
                            item.lineNumber(),
                            item.error().getMessage());
                }
            }
        }
        flows.sort(Comparator.comparingDouble(Flow::ts)); // stable: equal times keep the file's order
        log.info("read {} flows from {} ({} records rejected)", flows.size(), file, rejects);
        return new EvaluationInput(name, file.toAbsolutePath().toString(), flows, rejects, rejected);
    }

    /** Every flow of the cold store's days {@code from}..{@code to} (S3 objects are downloaded to {@code cacheDir}). */
    public static EvaluationInput readCold(String coldUri, LocalDate from, LocalDate to, Path cacheDir) {
        List<Flow> flows = TrainingData.readPeriod(coldUri, TimeRange.ofDays(from, to), cacheDir);
        return new EvaluationInput("cold-" + from + ".." + to, coldUri + " " + from + ".." + to, flows, 0, Map.of());
    }

    /** A file's name without its extensions (.csv, .log.gz, .conn.log.labeled): what names it in reports. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        for (String ext : new String[] {".labeled", ".json", ".log", ".csv", ".tsv", ".txt", ".jsonl"}) {
            if (name.endsWith(ext) && name.length() > ext.length())
                name = name.substring(0, name.length() - ext.length());
        }
        return name;
    }

    public long labelled() {
        long n = 0;
        for (Flow f : flows) if (f.labelled()) n++;
        return n;
    }
}
