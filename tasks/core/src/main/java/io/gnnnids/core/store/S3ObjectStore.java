package io.gnnnids.core.store;

import io.gnnnids.core.error.StepFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An object store in an S3 bucket under a key prefix (AWS or MinIO). Uploads send a CRC32 checksum that the
 * server verifies, and are then checked with a HEAD against the local size and checksum (or MD5 ETag).
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);
    private static final int MAX_ATTEMPTS = 3;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final S3Settings settings;

    /**
     * Connects and checks that the bucket exists, so a wrong endpoint, key or bucket fails here with a clear message.
     *
     * @param prefix key prefix inside the bucket, "" or ending with '/'
     */
    public S3ObjectStore(String bucket, String prefix, S3Settings settings) {
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.settings = settings;
        this.s3 = client(settings);
        try {
            call("check bucket", "", () -> s3.headBucket(b -> b.bucket(bucket)));
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    private static S3Client client(S3Settings settings) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.timeout())
                        .socketTimeout(settings.timeout().multipliedBy(6)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(MAX_ATTEMPTS)))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings));
        if (settings.endpoint() != null) {
            // MinIO and other S3-compatible servers address buckets by path, not by host name.
            b.endpointOverride(settings.endpoint()).forcePathStyle(true);
        }
        return b.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKey() != null) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private String fullKey(String key) {
        return prefix + ObjectStore.checkKey(key);
    }

    @Override
    public void put(String key, Path file) {
        String k = fullKey(key);
        FileDigest local;
        try {
            local = FileDigest.of(file);
        } catch (IOException e) {
            throw new StepFailure("cannot read " + file + " for upload: " + e.getMessage(), e);
        }
        call(
                "upload " + file + " to",
                k,
                () -> s3.putObject(
                        r -> r.bucket(bucket)
                                .key(k)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                                .contentLength(local.size()),
                        RequestBody.fromFile(file)));
        HeadObjectResponse head = call(
                "verify", k, () -> s3.headObject(r -> r.bucket(bucket).key(k).checksumMode(ChecksumMode.ENABLED)));
        verify(k, local, head);
        log.debug(
                "stored {} ({} bytes, verified by size{})",
                uri(key),
                local.size(),
                head.checksumCRC32() != null
                        ? " and CRC32"
                        : head.eTag() != null && !head.eTag().contains("-") ? " and MD5 ETag" : " only");
    }

    /** The stored object must have the file's size and, where the server reports one, its checksum. */
    private void verify(String k, FileDigest local, HeadObjectResponse head) {
        String where = "s3://" + bucket + "/" + k;
        if (head.contentLength() == null || head.contentLength() != local.size()) {
            throw new StepFailure("upload of " + where + " is incomplete: " + head.contentLength() + " bytes stored, "
                    + local.size() + " sent; retry the step");
        }
        if (head.checksumCRC32() != null && !head.checksumCRC32().equals(local.crc32Base64())) {
            throw new StepFailure("upload of " + where + " is corrupt: CRC32 " + head.checksumCRC32() + " stored, "
                    + local.crc32Base64() + " sent; retry the step");
        }
        String etag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
        if (head.checksumCRC32() == null && etag.matches("[0-9a-fA-F]{32}") && !etag.equalsIgnoreCase(local.md5Hex())) {
            throw new StepFailure("upload of " + where + " is corrupt: ETag " + etag + " is not the file's MD5 "
                    + local.md5Hex() + "; retry the step");
        }
    }

    @Override
    public boolean exists(String key) {
        String k = fullKey(key);
        try {
            call("check", k, () -> s3.headObject(r -> r.bucket(bucket).key(k)));
            return true;
        } catch (StepFailure e) {
            if (e.getCause() instanceof NoSuchKeyException
                    || e.getCause() instanceof S3Exception s
                            && s.statusCode() == 404
                            && !(s instanceof NoSuchBucketException)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void get(String key, Path dest) {
        String k = fullKey(key);
        Path target = dest.toAbsolutePath();
        Path temp = target.resolveSibling(".tmp-" + UUID.randomUUID() + "-" + target.getFileName());
        try {
            Files.createDirectories(target.getParent());
            // With checksum mode on, the SDK verifies the body against the stored checksum while downloading.
            call(
                    "download",
                    k,
                    () -> s3.getObject(
                            r -> r.bucket(bucket).key(k).checksumMode(ChecksumMode.ENABLED),
                            ResponseTransformer.toFile(temp)));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StepFailure("cannot write " + dest + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // only a leftover temp file
            }
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        String p = prefix + keyPrefix;
        return call(
                "list",
                p,
                () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(p)).contents().stream()
                        .map(S3Object::key)
                        .map(k -> k.substring(prefix.length()))
                        .sorted()
                        .toList());
    }

    @Override
    public SortedMap<String, Instant> listModified(String keyPrefix) {
        String p = prefix + keyPrefix;
        return call("list", p, () -> {
            SortedMap<String, Instant> modified = new TreeMap<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(p))
                    .contents()
                    .forEach(o -> modified.put(o.key().substring(prefix.length()), o.lastModified()));
            return modified;
        });
    }

    @Override
    public void delete(String key) {
        String k = fullKey(key);
        call("delete", k, () -> s3.deleteObject(r -> r.bucket(bucket).key(k)));
    }

    @Override
    public String uri(String key) {
        return "s3://" + bucket + "/" + fullKey(key);
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** Runs one S3 call and turns its failure into a message that says what to check. */
    private <T> T call(String action, String key, Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchBucketException e) {
            throw new StepFailure(
                    "S3 bucket '" + bucket + "' does not exist at " + settings.endpointText()
                            + " — create it (e.g. mc mb) or fix the bucket in the store URI",
                    e);
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (status == 404 && key.isEmpty()) {
                throw new StepFailure(
                        "S3 bucket '" + bucket + "' does not exist at " + settings.endpointText()
                                + " — create it (e.g. mc mb) or fix the bucket in the store URI",
                        e);
            }
            if (status == 403 || status == 401) {
                throw new StepFailure(
                        "S3 at " + settings.endpointText() + " denied access to bucket '" + bucket + "' ("
                                + (code == null ? status : code)
                                + ") — check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY",
                        e);
            }
            throw new StepFailure(
                    "S3 " + action + " s3://" + bucket + "/" + key + " failed: "
                            + (code == null ? "HTTP " + status : code) + " " + firstLine(e.getMessage()),
                    e);
        } catch (SdkClientException e) {
            if (String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
                throw new StepFailure(
                        "no S3 credentials for bucket '" + bucket
                                + "' — set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                        e);
            }
            Throwable root = networkCause(e);
            if (root != null) {
                throw new StepFailure(
                        "cannot reach S3 endpoint " + settings.endpointText() + " for bucket '" + bucket + "': "
                                + root.getMessage() + " — check AWS_ENDPOINT_URL and that MinIO is up",
                        e);
            }
            throw new StepFailure(
                    "S3 " + action + " s3://" + bucket + "/" + key + " failed: " + firstLine(e.getMessage()), e);
        } catch (SdkException e) {
            throw new StepFailure(
                    "S3 " + action + " s3://" + bucket + "/" + key + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    private static Throwable networkCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof SocketTimeoutException
                    || t instanceof java.net.NoRouteToHostException) {
                return t;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
