package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/** An object store in a local folder: each key is a file below the root. */
public final class LocalObjectStore implements ObjectStore {

    /** Files being written carry this prefix until they are renamed into place; listings skip them. */
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new StepFailure("cannot create the object store folder " + this.root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    private Path path(String key) {
        return root.resolve(ObjectStore.checkKey(key));
    }

    @Override
    public void put(String key, Path file) {
        Path dest = path(key);
        try {
            Files.createDirectories(dest.getParent());
            Path temp = dest.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + "-" + dest.getFileName());
            try {
                Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ch.force(true); // on disk before it becomes visible under its name
                }
                FileDigest source = FileDigest.of(file);
                FileDigest copy = FileDigest.of(temp);
                if (!copy.sameContent(source)) {
                    throw new StepFailure("copy of " + file + " to " + dest + " does not match the source ("
                            + copy.size() + " vs " + source.size() + " bytes); check the disk and retry");
                }
                moveIntoPlace(temp, dest);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new StepFailure("cannot store " + file + " as " + dest + ": " + e.getMessage(), e);
        }
    }

    private static void moveIntoPlace(Path temp, Path dest) throws IOException {
        try {
            Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public void get(String key, Path dest) {
        Path source = path(key);
        try {
            Path target = dest.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + "-" + target.getFileName());
            try {
                Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
                moveIntoPlace(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (NoSuchFileException e) {
            throw new StepFailure("object " + uri(key) + " does not exist", e);
        } catch (IOException e) {
            throw new StepFailure("cannot copy " + source + " to " + dest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        return files(prefix).stream().map(this::key).sorted().toList();
    }

    @Override
    public SortedMap<String, Instant> listModified(String prefix) {
        SortedMap<String, Instant> modified = new TreeMap<>();
        for (Path p : files(prefix)) {
            try {
                modified.put(key(p), Files.getLastModifiedTime(p).toInstant());
            } catch (NoSuchFileException e) {
                // deleted since it was listed: no longer there
            } catch (IOException e) {
                throw new StepFailure("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        return modified;
    }

    /** The files whose key starts with the prefix. */
    private List<Path> files(String prefix) {
        // Walk only below the prefix's folder: listing one day must not scan every partition.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(ObjectStore.checkKey(prefix.substring(0, slash)));
        if (!Files.isDirectory(start)) return List.of();
        try (Stream<Path> files = Files.walk(start)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .filter(p -> key(p).startsWith(prefix))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new StepFailure("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private String key(Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new StepFailure("cannot delete " + path(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String uri(String key) {
        return path(key).toUri().toString();
    }

    @Override
    public Optional<Path> localFile(String key) {
        return Optional.of(path(key));
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return root.toUri().toString();
    }
}
