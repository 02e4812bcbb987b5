package io.gnnnids.core.testing;

import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import io.gnnnids.core.store.S3Settings;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 server (s3proxy, in memory) on 127.0.0.1 and a free port, with one bucket, for the tests of a class.
 * Register it as {@code @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();}.
 */
public final class S3ServerExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private final String bucket;
    private BlobStore blobStore;
    private S3Proxy proxy;
    private URI endpoint;

    public S3ServerExtension() {
        this("nids-test");
    }

    public S3ServerExtension(String bucket) {
        this.bucket = bucket;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        blobStore = new TransientNio2BlobStore();
        blobStore.createContainer(bucket);
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The AWS SDK sends headers s3proxy does not know; without this multipart uploads get 501.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (proxy != null) proxy.stop();
        if (blobStore != null) blobStore.close();
    }

    public URI endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** Settings that reach this server, whatever the environment says. */
    public S3Settings settings() {
        return S3Settings.of(endpoint, ACCESS_KEY, SECRET_KEY);
    }

    /** {@code s3://<bucket>/<prefix>}. */
    public String uri(String prefix) {
        return "s3://" + bucket + "/" + prefix;
    }

    /** An object store on this server's bucket under the prefix; the caller closes it. */
    public ObjectStore openStore(String prefix) {
        return ObjectStores.open(uri(prefix), settings());
    }

    /** Creates another bucket, e.g. for a test that needs an empty one. */
    public void createBucket(String name) {
        blobStore.createContainer(name);
    }
}
