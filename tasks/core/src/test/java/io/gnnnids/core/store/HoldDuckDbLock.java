package io.gnnnids.core.store;

import java.nio.file.Path;
import java.sql.Connection;

/** Opens a DuckDB file read-write, says so on stdout, and keeps it open for the given seconds. */
public final class HoldDuckDbLock {

    public static final String READY = "locked";

    public static void main(String[] args) throws Exception {
        try (Connection c = DuckDb.open(Path.of(args[0]), false)) {
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]) * 1000);
        }
    }
}
