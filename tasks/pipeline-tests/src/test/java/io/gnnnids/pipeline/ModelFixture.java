package io.gnnnids.pipeline;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.store.ColdStore;
import io.gnnnids.core.store.HotBatches;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import io.gnnnids.core.store.ParquetFlowWriter;
import io.gnnnids.simulator.GeneratorOptions;
import io.gnnnids.simulator.TrafficGenerator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Generated, labelled traffic stored straight into a cold store and a hot store, for the model tests. */
final class ModelFixture {
    /** The traffic covers 2026-04-01 to this day. */
    static final String END = "2026-04-03";

    private ModelFixture() {}

    static List<Flow> traffic(long seed, int flows) {
        GeneratorOptions o = GeneratorOptions.withDefaults(
                flows, 120, 3, Instant.parse("2026-04-01T00:00:00Z"), 0.1, seed, Clock.systemUTC());
        List<Flow> out = new ArrayList<>();
        new TrafficGenerator(o).forEachRemaining(out::add);
        return out;
    }

    /**
     * Stores flows as one batch in the cold store at {@code coldDir} and, if {@code hot} is given, in the hot store.
     */
    static void store(Path scratch, List<Flow> flows, Path coldDir, Path hot, String batchId) throws Exception {
        Path parquet = scratch.resolve(batchId + ".parquet");
        try (ParquetFlowWriter w = new ParquetFlowWriter(parquet)) {
            for (Flow f : flows) w.write(f);
        }
        try (ObjectStore store = ObjectStores.open(coldDir.toString())) {
            new ColdStore(store).writeBatch(batchId, parquet, Set.of(), scratch.resolve("scratch-" + batchId));
        }
        if (hot != null) {
            try (HotStore h = HotStore.open(hot, Duration.ofSeconds(30))) {
                HotBatches.insert(h, batchId, parquet);
            }
        }
    }
}
