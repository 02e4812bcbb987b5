package io.gnnnids.core.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --work-dir for steps that keep caches and manifests there but can do without one. */
public class WorkDirOption {

    @Option(
            names = "--work-dir",
            defaultValue = "${env:NIDS_WORK_DIR}",
            description = "Where caches and the manifest go (env NIDS_WORK_DIR; default the system temp folder, also "
                    + "when it is an s3:// URI, where only the ETL steps stage batches).")
    String workDir;

    /** The work folder, or {@code <tmp>/gnn-nids} when none is set. */
    public Path path() {
        return local(workDir);
    }

    /**
     * The local folder a work directory names: {@code <tmp>/gnn-nids} when it is unset or an s3:// URI (a work
     * directory in S3 holds the ETL's staged batches; the other steps' caches and manifests stay on their host).
     */
    public static Path local(String workDir) {
        if (workDir == null || workDir.regionMatches(true, 0, "s3://", 0, "s3://".length())) {
            return Path.of(System.getProperty("java.io.tmpdir"), "gnn-nids");
        }
        return Path.of(workDir);
    }
}
