package io.gnnnids.core.store;

import io.gnnnids.core.error.UsageError;
import java.net.URI;
import java.nio.file.Path;

/** Opens the object store a URI names: {@code file:///abs/path}, a plain path, or {@code s3://bucket/prefix}. */
public final class ObjectStores {

    private ObjectStores() {}

    /** S3 settings come from the AWS variables (AWS_ENDPOINT_URL, AWS_REGION, credentials chain). */
    public static ObjectStore open(String uri) {
        return open(uri, null);
    }

    /** As {@link #open(String)}, with explicit S3 settings (null: from the environment). */
    public static ObjectStore open(String uri, S3Settings s3) {
        if (uri == null || uri.isBlank()) {
            throw new UsageError("empty store URI (use file:///path, a path, or s3://bucket/prefix)");
        }
        String u = uri.trim();
        if (u.startsWith("s3://")) {
            String rest = u.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw new UsageError("store URI '" + uri + "' names no bucket (use s3://bucket/prefix)");
            }
            return new S3ObjectStore(bucket, prefix, s3 == null ? S3Settings.fromEnvironment() : s3);
        }
        if (u.startsWith("file:")) {
            try {
                return new LocalObjectStore(Path.of(URI.create(u)));
            } catch (IllegalArgumentException e) {
                throw new UsageError("store URI '" + uri + "' is not a valid file URI (use file:///absolute/path): "
                        + e.getMessage());
            }
        }
        if (u.matches("[A-Za-z][A-Za-z0-9+.-]+://.*")) {
            throw new UsageError("store URI '" + uri
                    + "' has an unsupported scheme (use file:///path, a path, or s3://bucket/prefix)");
        }
        return new LocalObjectStore(Path.of(u));
    }
}
