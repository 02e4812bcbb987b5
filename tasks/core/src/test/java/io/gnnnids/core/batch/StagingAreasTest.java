package io.gnnnids.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.UsageError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Work directories and manifest addresses that name no usable staging area: one-line usage errors. */
class StagingAreasTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "s3://|names no bucket: use s3://bucket/prefix",
                "s3:///work|names no bucket: use s3://bucket/prefix",
                "s3://bucket/a//b|has an empty, '.' or '..' segment: use s3://bucket/prefix",
                "s3://bucket/../b|has an empty, '.' or '..' segment: use s3://bucket/prefix",
                "gs://bucket/work|has an unsupported scheme: use a path or s3://bucket/prefix"
            })
    void badWorkDirs(String workDir, String message) {
        UsageError e = assertThrows(UsageError.class, () -> StagingAreas.ofWorkDir(workDir, null));
        assertEquals("--work-dir " + workDir + " " + message, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket/manifest.json", "s3://bucket", "s3:///p/b/m.json", "https://host/p/b/m.json"})
    void badManifestAddresses(String address) {
        UsageError e = assertThrows(UsageError.class, () -> StagedBatch.open(address, "hot-write"));
        assertTrue(e.getMessage().startsWith("--manifest " + address + " "), e.getMessage());
        assertTrue(e.getMessage().contains("s3://bucket/prefix"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
