package io.gnnnids.core.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * What one ETL batch is: the Kafka offsets it covers and where its staged files live. Every manifest of the
 * batch carries it, so each step knows the batch without re-reading the one before.
 *
 * @param id      derived from topic and offsets, so consuming the same records again yields the same id
 * @param dir     the staging folder, {@code $NIDS_WORK_DIR/batches/<id>}: an absolute path, or an s3:// URI when the
 *                work directory is one (the steps reach its files through {@link StagedBatch})
 * @param records valid flows staged in {@code batch.parquet}
 * @param quarantined records written to {@code quarantine.jsonl}
 * @param days    the UTC days (YYYY-MM-DD, ascending) of the staged flows; null in manifests written before it was
 *                recorded
 */
public record Batch(
        String id,
        String dir,
        String topic,
        String group,
        List<OffsetRange> offsets,
        long records,
        long quarantined,
        List<String> days) {

    public static final String PARQUET = "batch.parquet";
    public static final String QUARANTINE = "quarantine.jsonl";
    /** Uids of the batch that other batches had already stored (written by hot-write; cold-write leaves them out). */
    public static final String DUPLICATES = "duplicates.txt";

    /** Where cold-write builds the daily Parquet files before uploading them (a local folder, never staged). */
    public static final String COLD_SCRATCH = "cold";

    /** The batch id for these offsets: topic plus a short digest of the ranges, stable across re-reads. */
    public static String idFor(String topic, List<OffsetRange> offsets) {
        StringBuilder canonical = new StringBuilder(topic);
        offsets.stream()
                .sorted(Comparator.comparingInt(OffsetRange::partition))
                .forEach(r -> canonical
                        .append('|')
                        .append(r.partition())
                        .append(':')
                        .append(r.start())
                        .append('-')
                        .append(r.end()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            String safeTopic = topic.replaceAll("[^A-Za-z0-9._-]", "_");
            return safeTopic + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
