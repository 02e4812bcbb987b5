package org.duckdb;

/**
 * Takes the place of duckdb_jdbc's class of this name, which the step jars leave out (the shade filter in pom.xml).
 * The driver calls {@link #init} when it loads and the others as connections open and close. The original
 * registers a Flight Recorder periodic event, which starts the recorder's metadata and instruments an event class
 * (a tenth of hot-write's start on 2 cores), and opens a second connection to every database to sample its memory.
 * A step lives for seconds and nobody records it, so here the monitor does nothing (docs/decisions.md).
 */
final class JfrMemoryMonitor {
    private JfrMemoryMonitor() {}

    static void init() {}

    static void connectionOpened(DuckDBConnection connection) {}

    static void connectionClosed(long databaseAddress) {}
}
