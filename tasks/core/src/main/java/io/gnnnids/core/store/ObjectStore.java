package io.gnnnids.core.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Where cold and archive files live: a local folder or an S3 bucket prefix. Keys are relative, '/'-separated
 * paths such as {@code date=2024-05-01/batch.parquet}. Writes are whole-object and verified, so a key either holds
 * the complete file or its previous version.
 */
public interface ObjectStore extends AutoCloseable {

    /** Stores the file under the key (replacing what was there) and checks that the stored copy matches it. */
    void put(String key, Path file);

    boolean exists(String key);

    /** Copies the object to dest, creating parent folders; dest appears only when complete. */
    void get(String key, Path dest);

    /** Keys that start with the prefix, sorted. */
    List<String> list(String prefix);

    /** As {@link #list}, with when each object was last written (what retention and pruning go by). */
    SortedMap<String, Instant> listModified(String prefix);

    /** Removes the object; no error when it does not exist. */
    void delete(String key);

    /**
     * The object's address, e.g. {@code file:///data/cold/date=2024-05-01/x.parquet} or {@code s3://bucket/cold/...}.
     */
    String uri(String key);

    /** The object's file when the store is a local folder, so readers can skip the copy. */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    @Override
    void close();

    /** Rejects keys that could escape the store's root. */
    static String checkKey(String key) {
        if (key == null
                || key.isEmpty()
                || key.startsWith("/")
                || key.contains("\\")
                || ("/" + key + "/").contains("/../")
                || ("/" + key + "/").contains("/./")) {
            throw new IllegalArgumentException(
                    "invalid object key '" + key + "' (relative, '/'-separated, no '.' or '..')");
        }
        return key;
    }
}
