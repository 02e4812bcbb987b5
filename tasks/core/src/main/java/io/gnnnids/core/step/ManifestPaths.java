package io.gnnnids.core.step;

import java.nio.file.Path;

/**
 * Where a step's manifest lives: the one place its file names are spelled. The names are read outside Java too
 * (the DAGs' tests, the demo report), so they never change:
 *
 * <ul>
 *   <li>{@code <dir>/manifest.json}: the run that made the folder, for its outputs (consume-batch's staged batch,
 *       evaluate's report folder);
 *   <li>{@code <dir>/<step>.json}: a step working in a folder another step made (hot-write, cold-write and
 *       commit-offsets in a staged batch);
 *   <li>{@code <work-dir>/<step>/<step>-<run>.json}: a step whose runs have no folder of their own (train, infer,
 *       replay, monitor).
 * </ul>
 */
public final class ManifestPaths {
    private ManifestPaths() {}

    /** The file name of the manifest of the step run that made a folder. */
    public static final String FOLDER_MANIFEST = "manifest.json";

    /** The manifest of the step run that made {@code dir} for its outputs. */
    public static Path ofFolder(Path dir) {
        return dir.resolve(FOLDER_MANIFEST);
    }

    /** The manifest {@code step} leaves in {@code dir}, a folder another step made. */
    public static Path ofStepIn(Path dir, String step) {
        return dir.resolve(ofStep(step));
    }

    /** The file name of the manifest {@code step} leaves in a folder another step made. */
    public static String ofStep(String step) {
        return step + ".json";
    }

    /** The manifest of one run of {@code step}, named by {@code run} (a time or a run id) so that runs never clash. */
    public static Path ofRun(Path workDir, String step, String run) {
        return workDir.resolve(step).resolve(step + "-" + run + ".json");
    }
}
