package io.gnnnids.core.store;

/**
 * One partition file of a batch in the cold store.
 *
 * @param date  the UTC day of its flows, YYYY-MM-DD
 * @param key   {@code date=YYYY-MM-DD/<batchId>.parquet}
 * @param uri   where it is stored
 * @param rows  flows in it
 * @param bytes its size
 */
public record ColdObject(String date, String key, String uri, long rows, long bytes) {}
