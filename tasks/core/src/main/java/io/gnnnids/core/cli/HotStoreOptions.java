package io.gnnnids.core.cli;

import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.store.HotStore;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of every step that opens the hot store: which DuckDB file, and how long to wait for its lock. */
public class HotStoreOptions {

    @Option(
            names = "--duckdb",
            defaultValue = "${env:NIDS_DUCKDB_PATH}",
            description = "DuckDB file of the hot store (env NIDS_DUCKDB_PATH).")
    Path duckdb;

    @Option(
            names = "--lock-wait",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "How long to retry while another process holds the DuckDB file (default ${DEFAULT-VALUE}).")
    Duration lockWait;

    /** The DuckDB file; a usage error when neither the option nor the variable gives one. */
    public Path path() {
        return UsageError.require(duckdb, "--duckdb", "NIDS_DUCKDB_PATH");
    }

    /** Opens the hot store read-write, waiting up to --lock-wait for another process to let go of it. */
    public HotStore open() {
        return HotStore.open(path(), lockWait);
    }

    /** Opens the existing hot store read-only, waiting as {@link #open()} does. */
    public HotStore openReadOnly() {
        return HotStore.openReadOnly(path(), lockWait);
    }
}
