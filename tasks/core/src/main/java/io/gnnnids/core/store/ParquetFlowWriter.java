package io.gnnnids.core.store;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Writes flows to a ZSTD-compressed Parquet file with one column per {@link io.gnnnids.core.flow.FlowColumn}: the
 * staged batch that hot-write and cold-write read, and usually, as it is, the batch's cold object (see
 * {@link ColdStore}), so it carries column statistics for readers that filter by ts.
 * Rows go to {@code <file>.tmp} and the file appears under its final name only when {@link #close()} succeeds,
 * so a crash never leaves a truncated file where the next step looks. Needs no Hadoop class at run time.
 */
public final class ParquetFlowWriter implements Closeable {

    private static final FlowColumn[] NO_DICTIONARY = {
        FlowColumn.TS,
        FlowColumn.UID,
        FlowColumn.DURATION,
        FlowColumn.ORIG_BYTES,
        FlowColumn.RESP_BYTES,
        FlowColumn.ORIG_IP_BYTES,
        FlowColumn.RESP_IP_BYTES
    };

    private final Path file;
    private final Path temp;
    private final ParquetWriter<Flow> writer;
    private long count;
    /** Epoch days of the flows written; the last one is checked first, as flows mostly come in time order. */
    private final TreeSet<Long> epochDays = new TreeSet<>();

    private long lastEpochDay = Long.MIN_VALUE;
    private boolean closed;

    /**
     * Loads, for {@link io.gnnnids.core.cli.Meanwhile}, what closing the first file costs: the footer's metadata
     * class sets up a Jackson ObjectMapper of its own when it loads (about 40 ms on 2 cores).
     */
    public static void prepare() {
        try {
            Class.forName(ParquetMetadata.class.getName(), true, ParquetFlowWriter.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    public ParquetFlowWriter(Path file) throws IOException {
        this.file = file.toAbsolutePath();
        this.temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        Files.createDirectories(this.file.getParent());
        Builder builder = new Builder(new LocalOutputFile(temp))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new StandaloneCodecFactory())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                // Page checksums and size statistics would only cost time: uploads are verified whole.
                .withSizeStatisticsEnabled(false)
                .withPageWriteChecksumEnabled(false);
        // Columns that are (nearly) unique per flow: building a dictionary for them only costs time before
        // parquet-java falls back to plain encoding.
        for (FlowColumn c : NO_DICTIONARY) {
            builder.withDictionaryEncoding(c.column, false);
        }
        this.writer = builder.build();
    }

    /** Appends a flow; a flow without a required field is rejected and the file stays usable. */
    public void write(Flow flow) {
        FlowWriteSupport.checkRequired(flow);
        try {
            writer.write(flow);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + temp, e);
        }
        count++;
        long day = ColdStore.epochDayOf(flow.ts());
        if (day != lastEpochDay) {
            epochDays.add(day);
            lastEpochDay = day;
        }
    }

    /** The UTC days of the flows written so far, ascending: the cold store's partitions they belong to. */
    public List<LocalDate> days() {
        return epochDays.stream().map(LocalDate::ofEpochDay).toList();
    }

    /** Flows written so far. */
    public long count() {
        return count;
    }

    public Path file() {
        return file;
    }

    /** Finishes the file and moves it to its final name. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Gives up: closes the writer and deletes the partial file, leaving nothing under the final name. */
    public void abort() {
        if (closed) return;
        closed = true;
        try {
            writer.close();
        } catch (IOException | RuntimeException ignored) {
            // the partial file is deleted below either way
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover .tmp is harmless: the next writer overwrites it
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Flow, Builder> {
        Builder(OutputFile out) {
            super(out);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Flow> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new FlowWriteSupport();
        }

        @Override
        protected WriteSupport<Flow> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return new FlowWriteSupport();
        }
    }
}
