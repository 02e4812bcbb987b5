package io.gnnnids.core.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** JSON files (manifests, reports) and pages that a reader never sees half written. */
public final class JsonFiles {
    /** In a holder: steps that only write text (the manifests) never pay for setting up data binding. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private JsonFiles() {}

    /**
     * Writes the value as indented JSON to a temp file beside {@code file}, then renames it over; returns the absolute
     * path.
     */
    public static Path writeAtomically(Object value, Path file) throws IOException {
        return writeTextAtomically(Mapper.JSON.writeValueAsString(value), file);
    }

    /** Writes the text (UTF-8) to a temp file beside {@code file}, then renames it over; returns the absolute path. */
    public static Path writeTextAtomically(String text, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return abs;
    }
}
