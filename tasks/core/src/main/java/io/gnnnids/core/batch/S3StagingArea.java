package io.gnnnids.core.batch;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.step.ManifestPaths;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.util.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches staged in an object store, {@code s3://bucket/prefix/batches/<batch-id>/<file>}, for steps that run on
 * different hosts. Each run works in a local scratch folder of its own (below the system temp folder, removed on
 * {@link #close}): a batch is built there and uploaded with its manifest last, so a batch whose manifest is listed
 * is complete; later steps download what they read and upload what they write. Uploads are verified, and downloads
 * checked, by the object store.
 */
public final class S3StagingArea implements StagingArea {
    private static final Logger log = LoggerFactory.getLogger(S3StagingArea.class);

    private final ObjectStore store;
    private final Path scratch;

    /**
     * @param store   the store rooted at the {@code batches/} prefix; closed with this area
     * @param scratch a local folder this run alone uses; deleted on {@link #close}
     */
    public S3StagingArea(ObjectStore store, Path scratch) {
        this.store = store;
        this.scratch = scratch.toAbsolutePath();
    }

    /** A fresh scratch folder below {@code <tmp>/gnn-nids/staging/}, for one run. */
    static Path newScratch() {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"), "gnn-nids", "staging");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, "run-");
        } catch (IOException e) {
            throw new StepFailure(
                    "cannot create a local scratch folder for the staged batch in the system temp " + "folder ("
                            + System.getProperty("java.io.tmpdir") + "): " + e.getMessage(),
                    e);
        }
    }

    private static String key(String batchId, String name) {
        return batchId + "/" + name;
    }

    @Override
    public String dirAddress(String batchId) {
        return store.uri(batchId);
    }

    @Override
    public String address(String batchId, String name) {
        return store.uri(key(batchId, name));
    }

    @Override
    public Path localDir(String batchId) {
        return scratch.resolve(ObjectStore.checkKey(batchId));
    }

    @Override
    public Path newIncoming() throws IOException {
        return Files.createTempDirectory(scratch, ".incoming-");
    }

    @Override
    public Optional<Path> fetch(String batchId, String name) {
        if (!has(batchId, name)) return Optional.empty();
        Path local = localDir(batchId).resolve(name);
        store.get(key(batchId, name), local);
        return Optional.of(local);
    }

    @Override
    public boolean has(String batchId, String name) {
        return store.exists(key(batchId, name));
    }

    @Override
    public void upload(String batchId, String name) {
        store.put(key(batchId, name), localDir(batchId).resolve(name));
    }

    @Override
    public void delete(String batchId, String name) {
        store.delete(key(batchId, name));
        deleteLocal(localDir(batchId).resolve(name));
    }

    @Override
    public void clear(String batchId) {
        // The manifest goes first: until the new one is uploaded, no listing shows the batch as complete.
        List<String> keys = store.list(batchId + "/");
        String manifest = key(batchId, ManifestPaths.FOLDER_MANIFEST);
        if (keys.contains(manifest)) store.delete(manifest);
        keys.stream().filter(k -> !k.equals(manifest)).forEach(store::delete);
        deleteLocal(localDir(batchId));
    }

    @Override
    public SortedMap<String, SortedMap<String, Instant>> list() {
        SortedMap<String, SortedMap<String, Instant>> batches = new TreeMap<>();
        for (Map.Entry<String, Instant> object : store.listModified("").entrySet()) {
            String key = object.getKey();
            int slash = key.indexOf('/');
            if (slash <= 0 || key.indexOf('/', slash + 1) >= 0) continue; // not <batch-id>/<file>
            batches.computeIfAbsent(key.substring(0, slash), id -> new TreeMap<>())
                    .put(key.substring(slash + 1), object.getValue());
        }
        return batches;
    }

    /**
     * Removes the objects of batches that have no manifest at all, all written before the cutoff: the uploads of a
     * consume-batch that died before its manifest (a later run of the same offsets would have replaced them).
     */
    @Override
    public int pruneHalfStaged(Instant cutoff) {
        int pruned = 0;
        for (Map.Entry<String, SortedMap<String, Instant>> batch : list().entrySet()) {
            SortedMap<String, Instant> files = batch.getValue();
            boolean noManifest = files.keySet().stream().noneMatch(f -> f.endsWith(".json"));
            if (noManifest && files.values().stream().allMatch(t -> t.isBefore(cutoff))) {
                files.keySet().forEach(f -> store.delete(key(batch.getKey(), f)));
                pruned++;
            }
        }
        return pruned;
    }

    @Override
    public void close() {
        store.close();
        deleteLocal(scratch);
    }

    private static void deleteLocal(Path p) {
        try {
            FileTrees.deleteRecursively(p);
        } catch (IOException e) {
            log.warn("could not remove the local copy {}: {}", p, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
