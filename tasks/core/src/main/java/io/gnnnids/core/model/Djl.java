package io.gnnnids.core.model;

import ai.djl.engine.Engine;
import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine the way this project runs it: offline, with the natives taken from the
 * {@code pytorch-native-cpu} jar and unpacked once into a writable cache folder.
 */
public final class Djl {

    /** The engine's name; the only one on the class path. */
    static final String ENGINE = "PyTorch";

    private Djl() {}

    /**
     * Sets {@code ai.djl.offline=true} and a cache folder unless already configured, then starts the engine.
     * Offline mode matters twice: DJL would otherwise try to download natives that do not match and probe a
     * telemetry address on start. The cache defaults to {@code $DJL_CACHE_DIR} or {@code ~/.cache/gnn-nids/djl}.
     * Idempotent and cheap after the first call (the first start in a fresh cache unpacks about 430 MB).
     */
    public static synchronized Engine init() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (isBlank(System.getenv("DJL_CACHE_DIR")) && isBlank(System.getProperty("DJL_CACHE_DIR"))) {
            System.setProperty("DJL_CACHE_DIR", defaultCacheDir().toString());
        }
        return Engine.getEngine(ENGINE);
    }

    static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "gnn-nids", "djl");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
