package io.gnnnids.core.flow;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ("\n" or "\r\n") without decoding, so a line with bad UTF-8 is reported on its own
 * instead of breaking the whole file. A line longer than the limit keeps only its first {@code limit + 1} bytes
 * ({@link #length()} still tells its real size): one runaway line cannot exhaust memory.
 */
final class ByteLines {
    private final InputStream in;
    private final int limit;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private byte[] line = new byte[1024];
    private int kept;
    private long length;

    ByteLines(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** Reads the next line; false at end of input. */
    boolean next() throws IOException {
        kept = 0;
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (any && kept > 0 && line[kept - 1] == '\r' && length == kept) {
                        kept--;
                        length--;
                    }
                    return any;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos);
            if (pos < end) {
                pos++; // consume '\n'
                if (kept > 0 && line[kept - 1] == '\r' && length == kept) {
                    kept--;
                    length--;
                }
                return true;
            }
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        length += n;
        int room = limit + 1 - kept;
        int take = Math.min(n, Math.max(room, 0));
        if (take > 0) {
            if (kept + take > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, kept + take));
            }
            System.arraycopy(buf, from, line, kept, take);
            kept += take;
        }
    }

    /** The line's bytes (possibly cut at limit + 1), a fresh array. */
    byte[] bytes() {
        return Arrays.copyOf(line, kept);
    }

    /** The line's full length in bytes. */
    long length() {
        return length;
    }

    boolean tooLong() {
        return length > limit;
    }

    /** Offset of the line's first character other than space, tab or carriage return; -1 for a blank line. */
    static int firstNonBlank(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return i;
            }
        }
        return -1;
    }
}
