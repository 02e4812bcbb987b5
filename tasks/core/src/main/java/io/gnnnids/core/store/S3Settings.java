package io.gnnnids.core.store;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach S3 or MinIO. {@link #fromEnvironment()} reads the AWS SDK's own variables; tests pass their own.
 *
 * @param endpoint  null for AWS itself; MinIO's URL otherwise (path-style addressing is then used)
 * @param region    signing region; MinIO accepts any
 * @param accessKey null to use the SDK's default credential chain (environment, profile, instance role)
 * @param secretKey null with accessKey
 * @param timeout   connect/read timeout of one attempt; three attempts are made
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey, Duration timeout) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public static S3Settings fromEnvironment() {
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        String region = System.getenv("AWS_REGION");
        return new S3Settings(
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim()),
                region == null || region.isBlank() ? DEFAULT_REGION : region.trim(),
                null,
                null,
                DEFAULT_TIMEOUT);
    }

    /** Explicit endpoint and keys, e.g. a test server. */
    public static S3Settings of(URI endpoint, String accessKey, String secretKey) {
        return new S3Settings(endpoint, DEFAULT_REGION, accessKey, secretKey, DEFAULT_TIMEOUT);
    }

    public S3Settings withTimeout(Duration t) {
        return new S3Settings(endpoint, region, accessKey, secretKey, t);
    }

    /** The endpoint as users should see it in messages. */
    String endpointText() {
        return endpoint == null ? "AWS S3 (" + region + ")" : endpoint.toString();
    }
}
