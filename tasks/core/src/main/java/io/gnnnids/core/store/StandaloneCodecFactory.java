package io.gnnnids.core.store;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page compression over zstd-jni and snappy-java directly. parquet-java's own codec factory goes through
 * Hadoop's codec classes, which are not on the runtime class path of the step jars.
 */
final class StandaloneCodecFactory implements CompressionCodecFactory {

    /**
     * zstd level 1: consume-batch encodes every flow on one thread, and level 3 (the library default) made that
     * thread the slowest part of staging (0.61 against 0.47 s per 100k flows) for files only a little smaller.
     */
    static final int ZSTD_LEVEL = 1;

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case ZSTD ->
                new Compressor(codec) {
                    @Override
                    byte[] compress(byte[] raw) {
                        return Zstd.compress(raw, ZSTD_LEVEL);
                    }
                };
            case SNAPPY ->
                new Compressor(codec) {
                    @Override
                    byte[] compress(byte[] raw) throws IOException {
                        return Snappy.compress(raw);
                    }
                };
            case UNCOMPRESSED ->
                new Compressor(codec) {
                    @Override
                    byte[] compress(byte[] raw) {
                        return raw;
                    }
                };
            default ->
                throw new IllegalArgumentException(
                        "unsupported Parquet codec " + codec + " (use ZSTD, SNAPPY or UNCOMPRESSED)");
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(codec);
    }

    @Override
    public void release() {}

    private abstract static class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        abstract byte[] compress(byte[] raw) throws IOException;

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return BytesInput.from(compress(bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {}
    }

    /** Only for completeness of the interface: files are read with DuckDB, not parquet-java. */
    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            byte[] in = bytes.toByteArray();
            return BytesInput.from(
                    switch (codec) {
                        case ZSTD -> Zstd.decompress(in, uncompressedSize);
                        case SNAPPY -> Snappy.uncompress(in);
                        case UNCOMPRESSED -> in;
                        default -> throw new IOException("unsupported Parquet codec " + codec);
                    });
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
        }

        @Override
        public void release() {}
    }
}
