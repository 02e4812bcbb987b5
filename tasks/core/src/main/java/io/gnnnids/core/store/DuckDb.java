package io.gnnnids.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** DuckDB connections and SQL literals, in one place. */
final class DuckDb {

    private DuckDb() {
    }

    static Connection open(Path file, boolean readOnly) throws SQLException {
        Properties props = new Properties();
        if (readOnly) {
            props.setProperty("duckdb.read_only", "true");
        }
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
    }

    /** A private in-memory database, for reshaping files without touching the hot store. */
    static Connection inMemory() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:");
    }

    /**
     * A path as a SQL string literal. Table functions and COPY targets cannot always be bound as parameters
     * (COPY ... TO never), so paths are quoted here instead.
     */
    static String literal(Path path) {
        return literal(path.toAbsolutePath().toString());
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
