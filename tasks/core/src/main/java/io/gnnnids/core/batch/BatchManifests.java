package io.gnnnids.core.batch;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.step.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the manifest a step receives with {@code --manifest}, checking it comes from the step expected before. */
public final class BatchManifests {
    private BatchManifests() {}

    /**
     * The manifest at {@code path}, which must have been written by {@code expectedStep} and describe a batch
     * whose staged Parquet file still exists.
     */
    public static Manifest require(Path path, String expectedStep) throws IOException {
        UsageError.require(path, "--manifest", "the previous step's output");
        if (!Files.isRegularFile(path)) {
            throw new UsageError("--manifest " + path + " does not exist: pass the path " + expectedStep + " printed");
        }
        Manifest m = Manifest.read(path);
        if (!expectedStep.equals(m.step())) {
            throw new UsageError("--manifest " + path + " was written by " + m.step() + ", expected the manifest of "
                    + expectedStep);
        }
        if (m.batch() == null) {
            throw new UsageError("--manifest " + path + " describes no batch");
        }
        if (!Files.isRegularFile(m.batch().parquet())) {
            throw new StepFailure("staged file " + m.batch().parquet() + " of batch "
                    + m.batch().id() + " is gone: run consume-batch again (the batch will be re-read from Kafka)");
        }
        return m;
    }
}
