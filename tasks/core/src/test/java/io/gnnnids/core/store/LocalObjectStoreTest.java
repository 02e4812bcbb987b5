package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.UsageError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalObjectStoreTest extends ObjectStoreContract {

    @Override
    ObjectStore store() {
        return ObjectStores.open(dir.resolve("store").toString());
    }

    @Test
    void opensFileUrisAndPlainPathsAsTheSameFolder() throws Exception {
        Path root = dir.resolve("cold");
        try (ObjectStore byUri = ObjectStores.open(root.toUri().toString());
                ObjectStore byPath = ObjectStores.open(root.toString())) {
            assertInstanceOf(LocalObjectStore.class, byUri);
            byUri.put("date=2024-01-01/b.parquet", Files.writeString(dir.resolve("f"), "x"));
            assertTrue(byPath.exists("date=2024-01-01/b.parquet"));
            assertEquals(
                    root.resolve("date=2024-01-01/b.parquet").toUri().toString(),
                    byPath.uri("date=2024-01-01/b.parquet"));
            assertEquals(
                    root.resolve("date=2024-01-01/b.parquet"),
                    byPath.localFile("date=2024-01-01/b.parquet").orElseThrow());
        }
    }

    @Test
    void listingSkipsFilesStillBeingWritten() throws Exception {
        try (ObjectStore s = store()) {
            s.put("d/a", Files.writeString(dir.resolve("f"), "x"));
            Files.writeString(dir.resolve("store/d/.tmp-123-b"), "partial");
            assertEquals(java.util.List.of("d/a"), s.list("d/"));
        }
    }

    @Test
    void rejectsUnknownSchemes() {
        UsageError e = assertThrows(UsageError.class, () -> ObjectStores.open("gs://bucket/x"));
        assertTrue(e.getMessage().contains("unsupported scheme"), e.getMessage());
    }
}
