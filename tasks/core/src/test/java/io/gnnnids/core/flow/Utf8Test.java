package io.gnnnids.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Utf8Test {

    /** ASCII of the given length with the bytes of {@code insert} at {@code at}. */
    private static byte[] asciiWith(int length, int at, byte... insert) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 'a');
        System.arraycopy(insert, 0, b, at, insert.length);
        return b;
    }

    @Test
    void findsABadByteAtEveryPositionAroundTheEightByteWords() {
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                assertEquals(
                        at,
                        Utf8.firstInvalid(asciiWith(length, at, (byte) 0xFF), 0, length),
                        "length " + length + " at " + at);
                assertEquals(
                        at,
                        Utf8.firstInvalid(asciiWith(length, at, (byte) 0x80), 0, length),
                        "stray continuation byte");
            }
            assertEquals(-1, Utf8.firstInvalid(asciiWith(length, 0), 0, length));
        }
    }

    @Test
    void acceptsMultiByteCharactersAtEveryOffset() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < 20; at++) {
            assertEquals(-1, Utf8.firstInvalid(asciiWith(24, at, euro), 0, 24));
            assertEquals(-1, Utf8.firstInvalid(asciiWith(24, at, emoji), 0, 24));
        }
    }

    @Test
    void rejectsTruncatedOverlongAndSurrogateSequences() {
        byte[] truncated = asciiWith(16, 14, (byte) 0xE2, (byte) 0x82); // € without its last byte at the end
        assertEquals(14, Utf8.firstInvalid(truncated, 0, 16));
        assertEquals(9, Utf8.firstInvalid(asciiWith(16, 9, (byte) 0xC0, (byte) 0xAF), 0, 16)); // overlong '/'
        assertEquals(3, Utf8.firstInvalid(asciiWith(16, 3, (byte) 0xED, (byte) 0xA0, (byte) 0x80), 0, 16)); // U+D800
        assertEquals(8, Utf8.firstInvalid(asciiWith(16, 8, (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80), 0, 16));
    }

    @Test
    void checksOnlyTheGivenRange() {
        byte[] b = asciiWith(32, 2, (byte) 0xFF);
        b[30] = (byte) 0xFF;
        assertEquals(-1, Utf8.firstInvalid(b, 3, 30));
        assertEquals(30, Utf8.firstInvalid(b, 3, 32));
    }
}
