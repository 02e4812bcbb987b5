package io.gnnnids.core.model;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.graph.GraphWindows;
import io.gnnnids.core.store.ColdStore;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import io.gnnnids.core.store.ParquetFlowReader;
import io.gnnnids.core.util.TimeRange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The labelled flows of a date range of the cold store, cut into graph windows. */
public record TrainingData(List<List<Flow>> windows, long totalFlows, long labelledFlows) {
    private static final Logger log = LoggerFactory.getLogger(TrainingData.class);

    /** Reads the daily partitions {@code first}..{@code last} (S3 objects are downloaded to {@code cacheDir}). */
    public static TrainingData read(String coldUri, LocalDate first, LocalDate last, Path cacheDir, Duration window) {
        List<Path> files = fetch(coldUri, first, last, cacheDir);
        long total = ParquetFlowReader.count(files);
        List<Flow> labelled = ParquetFlowReader.read(files, true);
        log.info(
                "read {} flows ({} labelled) from {} cold object(s), {} to {}",
                total,
                labelled.size(),
                files.size(),
                first,
                last);
        return of(labelled, total, window);
    }

    /** Every flow of the cold store in the period, labelled or not, in time order. */
    public static List<Flow> readPeriod(String coldUri, TimeRange period, Path cacheDir) {
        List<Path> files = fetch(coldUri, period.firstDay(), period.lastDay(), cacheDir);
        List<Flow> flows = new ArrayList<>();
        for (Flow f : ParquetFlowReader.read(files, false)) if (period.contains(f.ts())) flows.add(f);
        flows.sort(Comparator.comparingDouble(Flow::ts));
        log.info("read {} flows of {} from {} cold object(s)", flows.size(), period, files.size());
        return flows;
    }

    private static List<Path> fetch(String coldUri, LocalDate first, LocalDate last, Path cacheDir) {
        try (ObjectStore store = ObjectStores.open(coldUri)) {
            return new ColdStore(store).fetch(first, last, cacheDir);
        } catch (Exception e) {
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
    }

    /** Flows already in memory (ts order), e.g. generated traffic. */
    public static TrainingData of(List<Flow> labelled, long totalFlows, Duration window) {
        List<List<Flow>> windows = GraphWindows.byWindow(labelled.iterator(), window, GraphWindows.DEFAULT_MAX_EDGES);
        return new TrainingData(windows, totalFlows, labelled.size());
    }

    /** Why the split cannot train and test a model, or null when it can. */
    public static String shortage(TrainingRun.Split split, long minFlows) {
        long labelled = split.flows(split.train()) + split.flows(split.validation()) + split.flows(split.test());
        if (labelled < minFlows) return "need at least " + minFlows + " labelled flows, found " + labelled;
        String[] roles = {"training", "validation", "test"};
        List<List<List<Flow>>> parts = List.of(split.train(), split.validation(), split.test());
        for (int i = 0; i < roles.length; i++) {
            long attacks = 0;
            long benign = 0;
            for (List<Flow> w : parts.get(i)) {
                for (Flow f : w) {
                    if (Flow.MALICIOUS.equals(f.label())) attacks++;
                    else benign++;
                }
            }
            if (attacks == 0 || benign == 0) {
                return "the " + roles[i] + " part (by time) has " + attacks + " attack and " + benign
                        + " benign flows; both are needed: read more --days";
            }
        }
        return null;
    }
}
