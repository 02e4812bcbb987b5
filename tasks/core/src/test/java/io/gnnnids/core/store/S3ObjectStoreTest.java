package io.gnnnids.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.testing.S3ServerExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3ObjectStoreTest extends ObjectStoreContract {

    @RegisterExtension
    static final S3ServerExtension S3 = new S3ServerExtension();

    @Override
    ObjectStore store() {
        // A prefix per test keeps the tests apart in the one bucket.
        return S3.openStore("cold-" + UUID.randomUUID() + "/");
    }

    @Test
    void namesObjectsBySchemeBucketAndPrefix() throws Exception {
        try (ObjectStore s = ObjectStores.open(S3.uri("archive"), S3.settings())) {
            assertInstanceOf(S3ObjectStore.class, s);
            assertEquals(
                    "s3://" + S3.bucket() + "/archive/date=2024-05-01/b.parquet", s.uri("date=2024-05-01/b.parquet"));
            s.put("date=2024-05-01/b.parquet", Files.writeString(dir.resolve("f"), "x"));
            assertEquals(java.util.List.of("date=2024-05-01/b.parquet"), s.list("date="));
        }
    }

    @Test
    void missingBucketIsNamedInTheFailure() {
        StepFailure e =
                assertThrows(StepFailure.class, () -> ObjectStores.open("s3://no-such-bucket/x", S3.settings()));
        assertTrue(e.getMessage().contains("'no-such-bucket' does not exist"), e.getMessage());
    }

    @Test
    void wrongCredentialsSayWhatToCheck() {
        S3Settings wrong = S3Settings.of(S3.endpoint(), "nobody", "wrong");
        StepFailure e = assertThrows(StepFailure.class, () -> ObjectStores.open(S3.uri("x"), wrong));
        assertTrue(e.getMessage().contains("AWS_ACCESS_KEY_ID"), e.getMessage());
    }

    @Test
    void unreachableEndpointFailsFastWithAClearMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        S3Settings nowhere =
                S3Settings.of(URI.create("http://127.0.0.1:" + port), "k", "s").withTimeout(Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        StepFailure e = assertThrows(StepFailure.class, () -> ObjectStores.open("s3://cold/x", nowhere));
        assertTrue(
                e.getMessage().startsWith("cannot reach S3 endpoint http://127.0.0.1:" + port + " for bucket 'cold'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("check AWS_ENDPOINT_URL"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 30, "gave up within the timeout budget");
    }
}
