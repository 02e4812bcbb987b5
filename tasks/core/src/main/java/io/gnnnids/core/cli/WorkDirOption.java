package io.gnnnids.core.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --work-dir for steps that keep caches and manifests there but can do without one. */
public class WorkDirOption {

    @Option(
            names = "--work-dir",
            defaultValue = "${env:NIDS_WORK_DIR}",
            description = "Where caches and the manifest go (env NIDS_WORK_DIR; default the system temp folder).")
    Path workDir;

    /** The work folder, or {@code <tmp>/gnn-nids} when none is set. */
    public Path path() {
        return workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "gnn-nids");
    }
}
