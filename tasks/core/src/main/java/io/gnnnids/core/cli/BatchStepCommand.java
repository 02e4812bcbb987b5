package io.gnnnids.core.cli;

import java.nio.file.Path;

/**
 * Base of the ETL steps (consume-batch, hot-write, cold-write, commit-offsets), whose manifests live with the staged
 * batch: in a local folder, or in S3 when the work directory is an s3:// URI. Such a step returns its manifest's
 * address, a path or a URI, which is printed and becomes the next step's {@code --manifest}.
 */
public abstract class BatchStepCommand extends StepCommand {

    /** Does the step's work; returns the address of the manifest written: an absolute path or an s3:// URI. */
    protected abstract String runBatch() throws Exception;

    @Override
    final String runForManifest() throws Exception {
        return runBatch();
    }

    /** Never called: {@link #runBatch()} takes its place, as the manifest may not be a local file. */
    @Override
    protected final Path run() {
        throw new UnsupportedOperationException("a batch step runs through runBatch()");
    }
}
