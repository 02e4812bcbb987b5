/**
 * Zeek conn records: the {@link io.gnnnids.core.flow.Flow} record and its schema, reading them from Kafka messages
 * ({@link io.gnnnids.core.flow.FlowParser}) and files ({@link io.gnnnids.core.flow.FlowFileReader}: JSON lines,
 * Zeek TSV incl. IoT-23 labelled logs, CSV, optionally gzip), writing them as Zeek JSON
 * ({@link io.gnnnids.core.flow.ZeekJson}), and keeping the records that fail
 * ({@link io.gnnnids.core.flow.QuarantineWriter}).
 *
 * <p>Every input path goes through the same type conversion and {@link io.gnnnids.core.flow.FlowValidator}, so a
 * record is accepted or rejected, with the same {@link io.gnnnids.core.flow.Reason}, whatever format it came in.
 */
package io.gnnnids.core.flow;
