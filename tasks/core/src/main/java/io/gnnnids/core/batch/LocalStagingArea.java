package io.gnnnids.core.batch;

import io.gnnnids.core.util.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Batches staged in a local folder, {@code <work-dir>/batches/}: the steps work on the staged files in place. A
 * batch is built in a hidden {@code .incoming-*} folder and renamed to its id when complete.
 */
public final class LocalStagingArea implements StagingArea {

    static final String INCOMING_PREFIX = ".incoming-";

    private final Path root;

    /** @param root the {@code batches/} folder; created when the first batch is staged */
    public LocalStagingArea(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    @Override
    public String dirAddress(String batchId) {
        return localDir(batchId).toString();
    }

    @Override
    public String address(String batchId, String name) {
        return localDir(batchId).resolve(name).toString();
    }

    @Override
    public Path localDir(String batchId) {
        return root.resolve(batchId);
    }

    @Override
    public Path newIncoming() throws IOException {
        Files.createDirectories(root);
        return Files.createDirectories(root.resolve(INCOMING_PREFIX + UUID.randomUUID()));
    }

    @Override
    public Optional<Path> fetch(String batchId, String name) {
        Path file = localDir(batchId).resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public boolean has(String batchId, String name) {
        return Files.isRegularFile(localDir(batchId).resolve(name));
    }

    @Override
    public void upload(String batchId, String name) {
        // the file is already where the batch's files are
    }

    @Override
    public void delete(String batchId, String name) {
        try {
            FileTrees.deleteRecursively(localDir(batchId).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + localDir(batchId).resolve(name), e);
        }
    }

    @Override
    public void clear(String batchId) {
        try {
            FileTrees.deleteRecursively(localDir(batchId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + localDir(batchId), e);
        }
    }

    @Override
    public SortedMap<String, SortedMap<String, Instant>> list() {
        SortedMap<String, SortedMap<String, Instant>> batches = new TreeMap<>();
        if (!Files.isDirectory(root)) return batches;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String id = dir.getFileName().toString();
                if (id.startsWith(".")) continue; // half staged
                SortedMap<String, Instant> files = new TreeMap<>();
                try (Stream<Path> inDir = Files.list(dir)) {
                    for (Path f : inDir.filter(Files::isRegularFile).toList()) {
                        files.put(f.getFileName().toString(), modified(f));
                    }
                } catch (NoSuchFileException gone) {
                    continue; // removed while listed
                }
                batches.put(id, files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list staged batches in " + root, e);
        }
        return batches;
    }

    @Override
    public int pruneHalfStaged(Instant cutoff) {
        if (!Files.isDirectory(root)) return 0;
        int pruned = 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                if (!dir.getFileName().toString().startsWith(INCOMING_PREFIX)) continue;
                if (!modified(dir).isBefore(cutoff)) continue;
                FileTrees.deleteRecursively(dir);
                pruned++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune half-staged batches in " + root, e);
        }
        return pruned;
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return root.toString();
    }
}
