package io.gnnnids.core.batch;

import io.gnnnids.core.error.UsageError;
import io.gnnnids.core.store.ObjectStore;
import io.gnnnids.core.store.ObjectStores;
import io.gnnnids.core.store.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Opens the staging area that a work directory or a manifest's address names: a local path (or {@code file:} URI)
 * for a {@link LocalStagingArea}, {@code s3://bucket/prefix} for an {@link S3StagingArea}. Anything else is a usage
 * error that says what to pass.
 */
public final class StagingAreas {

    /** A file of a staged batch: the area holding it, the batch's folder name (its id) and the file's name. */
    public record StagedFile(StagingArea area, String batchId, String name) {}

    private StagingAreas() {}

    /**
     * The area of {@code --work-dir}: {@code <dir>/batches/}, or {@code s3://bucket/prefix/batches/}.
     *
     * @param s3 null: S3 settings from the AWS variables
     */
    public static StagingArea ofWorkDir(String workDir, S3Settings s3) {
        String dir = workDir.trim();
        if (isS3(dir)) {
            List<String> parts = s3Parts(dir, "--work-dir", "s3://bucket/prefix");
            parts.add("batches");
            return s3Area(parts, s3);
        }
        return new LocalStagingArea(localPath(dir, "--work-dir").resolve("batches"));
    }

    /**
     * Where the file a step printed (a manifest, given as {@code --manifest}) is staged: a batch folder's file, a
     * path or {@code s3://bucket/prefix/batches/<batch-id>/<file>}.
     *
     * @param step the step that printed it, for the message when the address is wrong
     * @param s3   null: S3 settings from the AWS variables
     */
    public static StagedFile locate(String address, String step, S3Settings s3) {
        String a = address.trim();
        if (isS3(a)) {
            String shape = "s3://bucket/prefix/batches/<batch-id>/<file>.json";
            List<String> parts = s3Parts(a, "--manifest", shape);
            if (parts.size() < 3) {
                throw new UsageError("--manifest " + address + " is not a file in a batch folder (" + shape
                        + "): pass the URI " + step + " printed");
            }
            String name = parts.remove(parts.size() - 1);
            String batchId = parts.remove(parts.size() - 1);
            return new StagedFile(s3Area(parts, s3), batchId, name);
        }
        Path file = localPath(a, "--manifest");
        Path dir = file.getParent();
        if (dir == null || dir.getFileName() == null || dir.getParent() == null) {
            throw new UsageError(
                    "--manifest " + address + " is not a file in a batch folder: pass the path " + step + " printed");
        }
        return new StagedFile(
                new LocalStagingArea(dir.getParent()),
                dir.getFileName().toString(),
                file.getFileName().toString());
    }

    private static boolean isS3(String address) {
        return address.regionMatches(true, 0, "s3://", 0, "s3://".length());
    }

    private static StagingArea s3Area(List<String> parts, S3Settings s3) {
        String uri = "s3://" + String.join("/", parts);
        ObjectStore store = ObjectStores.open(uri, s3);
        try {
            return new S3StagingArea(store, S3StagingArea.newScratch());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Bucket, then the key's segments: each one a usable name, so the URI cannot point outside its prefix. */
    private static List<String> s3Parts(String uri, String option, String shape) {
        String rest = uri.substring("s3://".length());
        if (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
        List<String> parts = new ArrayList<>(Arrays.asList(rest.split("/", -1)));
        if (parts.get(0).isEmpty()) {
            throw new UsageError(option + " " + uri + " names no bucket: use " + shape);
        }
        for (String part : parts.subList(1, parts.size())) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\\")) {
                throw new UsageError(option + " " + uri + " has an empty, '.' or '..' segment: use " + shape);
            }
        }
        return parts;
    }

    private static Path localPath(String address, String option) {
        if (address.regionMatches(true, 0, "file:", 0, "file:".length())) {
            try {
                return Path.of(URI.create(address)).toAbsolutePath();
            } catch (IllegalArgumentException e) {
                throw new UsageError(option + " " + address + " is not a valid file URI: use file:///absolute/path, a "
                        + "path or s3://bucket/prefix");
            }
        }
        if (address.matches("[A-Za-z][A-Za-z0-9+.-]+://.*")) {
            throw new UsageError(
                    option + " " + address + " has an unsupported scheme: use a path or " + "s3://bucket/prefix");
        }
        return Path.of(address).toAbsolutePath();
    }
}
