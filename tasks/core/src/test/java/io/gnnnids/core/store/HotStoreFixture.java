package io.gnnnids.core.store;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** Store tests that open a hot store: a DuckDB file in a fresh folder for each test. */
abstract class HotStoreFixture {

    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    Path db() {
        return dir.resolve("hot/nids.duckdb");
    }

    HotStore open() {
        return HotStore.open(db(), WAIT);
    }
}
