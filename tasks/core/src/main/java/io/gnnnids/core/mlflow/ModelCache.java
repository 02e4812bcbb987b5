package io.gnnnids.core.mlflow;

import io.gnnnids.core.model.EGraphSage;
import io.gnnnids.core.model.ModelBundle;
import io.gnnnids.core.util.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Model versions downloaded from MLflow, kept on disk as {@code <root>/<model-name>/<version>/} so a version is
 * fetched once. A {@code champion} file remembers the last champion resolved, for when MLflow is unreachable.
 */
public final class ModelCache {
    /** Where the registered version's files live below its run's artifacts. */
    public static final String ARTIFACT_DIR = "model";

    private static final String[] FILES = {EGraphSage.PARAMETERS_FILE, ModelBundle.CARD_FILE};
    private static final String LAST_CHAMPION = "champion";

    private final Path root;

    public ModelCache(Path root) {
        this.root = root;
    }

    public Path dirFor(String name, String version) {
        return root.resolve(safe(name)).resolve(safe(version));
    }

    /** The version's folder, downloading its files first if this cache does not hold them yet. */
    public Path fetch(Mlflow mlflow, ModelVersionInfo v) throws IOException {
        Path dir = dirFor(v.name(), v.version());
        if (complete(dir)) return dir;
        Path tmp = dir.resolveSibling("." + dir.getFileName() + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            String source = v.source().replaceAll("/+$", "");
            int cut = source.lastIndexOf('/');
            String artifactRoot = source.substring(0, cut);
            String subdir = source.substring(cut + 1);
            for (String f : FILES) mlflow.downloadArtifact(artifactRoot, subdir + "/" + f, tmp.resolve(f));
            if (Files.exists(dir)) FileTrees.deleteRecursively(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) FileTrees.deleteRecursively(tmp);
        }
        return dir;
    }

    /** Records which version was champion, for use when MLflow cannot be reached. */
    public void rememberChampion(String name, String version) throws IOException {
        Path file = root.resolve(safe(name)).resolve(LAST_CHAMPION);
        Files.createDirectories(file.getParent());
        Files.writeString(file, version);
    }

    /** The last champion resolved, if its files are cached. */
    public Optional<String> lastChampion(String name) throws IOException {
        Path file = root.resolve(safe(name)).resolve(LAST_CHAMPION);
        if (!Files.exists(file)) return Optional.empty();
        String version = Files.readString(file).strip();
        return complete(dirFor(name, version)) ? Optional.of(version) : Optional.empty();
    }

    private static boolean complete(Path dir) {
        for (String f : FILES) if (!Files.isRegularFile(dir.resolve(f))) return false;
        return true;
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
