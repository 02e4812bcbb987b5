package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every object store does; each implementation's test supplies the store. */
abstract class ObjectStoreContract {

    @TempDir
    Path dir;

    /** A fresh, empty store. */
    abstract ObjectStore store();

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetReturnsTheSameBytes() throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(1).nextBytes(data);
        Path src = Files.write(dir.resolve("src.bin"), data);
        try (ObjectStore s = store()) {
            s.put("date=2024-05-01/b1.parquet", src);
            assertTrue(s.exists("date=2024-05-01/b1.parquet"));
            Path back = dir.resolve("back/b1.parquet");
            s.get("date=2024-05-01/b1.parquet", back);
            assertArrayEquals(data, Files.readAllBytes(back));
        }
    }

    @Test
    void putOverwritesTheObject() throws Exception {
        try (ObjectStore s = store()) {
            s.put("a/x", file("one", "first"));
            s.put("a/x", file("two", "second, longer"));
            s.get("a/x", dir.resolve("got"));
            assertEquals("second, longer", Files.readString(dir.resolve("got")));
            assertEquals(List.of("a/x"), s.list("a/"));
        }
    }

    @Test
    void listsKeysUnderAPrefixInOrder() throws Exception {
        try (ObjectStore s = store()) {
            Path f = file("f", "x");
            s.put("date=2024-05-02/b2.parquet", f);
            s.put("date=2024-05-01/b9.parquet", f);
            s.put("date=2024-05-01/b1.parquet", f);
            s.put("date=2024-05-10/b1.parquet", f);
            assertEquals(
                    List.of("date=2024-05-01/b1.parquet", "date=2024-05-01/b9.parquet"), s.list("date=2024-05-01/"));
            assertEquals(4, s.list("date=2024-05").size());
            assertEquals(4, s.list("").size());
            assertEquals(List.of(), s.list("date=2023-01-01/"));
        }
    }

    @Test
    void listsWhenEachObjectWasLastWritten() throws Exception {
        try (ObjectStore s = store()) {
            Instant before = Instant.now().minusSeconds(5); // S3 keeps whole seconds; clocks may differ a little
            s.put("b1/manifest.json", file("m", "{}"));
            s.put("b1/batch.parquet", file("p", "x"));
            s.put("b2/batch.parquet", file("q", "y"));
            SortedMap<String, Instant> modified = s.listModified("b1/");
            assertEquals(List.of("b1/batch.parquet", "b1/manifest.json"), List.copyOf(modified.keySet()));
            assertTrue(
                    modified.values().stream()
                            .allMatch(t -> t.isAfter(before)
                                    && t.isBefore(Instant.now().plusSeconds(5))),
                    modified.toString());
            assertEquals(s.list(""), List.copyOf(s.listModified("").keySet()));
        }
    }

    @Test
    void deleteRemovesTheObjectAndIgnoresMissingOnes() throws Exception {
        try (ObjectStore s = store()) {
            s.put("k/v", file("f", "x"));
            s.delete("k/v");
            assertFalse(s.exists("k/v"));
            s.delete("k/v");
            assertEquals(List.of(), s.list("k/"));
        }
    }

    @Test
    void missingObjectDoesNotExistAndCannotBeFetched() {
        try (ObjectStore s = store()) {
            assertFalse(s.exists("no/such"));
            assertThrows(RuntimeException.class, () -> s.get("no/such", dir.resolve("x")));
            assertFalse(Files.exists(dir.resolve("x")));
        }
    }

    @Test
    void rejectsKeysThatEscapeTheRoot() {
        try (ObjectStore s = store()) {
            assertThrows(IllegalArgumentException.class, () -> s.exists("../etc/passwd"));
            assertThrows(IllegalArgumentException.class, () -> s.exists("/abs"));
        }
    }
}
