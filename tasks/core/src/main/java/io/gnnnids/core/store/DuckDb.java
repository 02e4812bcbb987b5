package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** DuckDB connections and SQL literals, in one place. */
final class DuckDb {

    private DuckDb() {}

    static Connection open(Path file, boolean readOnly) throws SQLException {
        Properties props = new Properties();
        if (readOnly) {
            props.setProperty("duckdb.read_only", "true");
        }
        return connect("jdbc:duckdb:" + file.toAbsolutePath(), props);
    }

    /** A private in-memory database, for reshaping files without touching the hot store. */
    static Connection inMemory() throws SQLException {
        return connect("jdbc:duckdb:", new Properties());
    }

    /**
     * The step jars hold no DuckDB native library: the build puts it beside each jar that needs it, where the driver
     * loads it from without unpacking 70 MB on every start. A jar copied without it fails here, saying so.
     */
    private static Connection connect(String url, Properties props) throws SQLException {
        try {
            return DriverManager.getConnection(url, props);
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new StepFailure(
                    "DuckDB's native library could not be loaded: it belongs beside the step's jar as "
                            + "libduckdb_java.so_linux_amd64 (make build puts it in tasks/<step>/target/): copy it "
                            + "along"
                            + " with the jar",
                    e);
        }
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
