package io.gnnnids.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/** Size, CRC32 and MD5 of a file, read once; what a verified upload compares against. */
record FileDigest(long size, long crc32, byte[] md5) {

    static FileDigest of(Path file) throws IOException {
        CRC32 crc = new CRC32();
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                md5.update(buf, 0, n);
                size += n;
            }
        }
        return new FileDigest(size, crc.getValue(), md5.digest());
    }

    /** The CRC32 as S3 reports it: base64 of the four big-endian bytes. */
    String crc32Base64() {
        byte[] b = {(byte) (crc32 >>> 24), (byte) (crc32 >>> 16), (byte) (crc32 >>> 8), (byte) crc32};
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    String md5Hex() {
        return java.util.HexFormat.of().formatHex(md5);
    }

    boolean sameContent(FileDigest other) {
        return size == other.size && crc32 == other.crc32 && java.util.Arrays.equals(md5, other.md5);
    }
}
