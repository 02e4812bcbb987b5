package io.gnnnids.core.graph;

/**
 * Whether an address is in a private range (RFC 1918, loopback, link-local, IPv6 unique-local/link-local):
 * the usual Zeek {@code Site::local_nets}. Stands in for local_orig / local_resp when a log leaves them unset,
 * so that a model trained on logs that set them sees the same meaning in logs that do not.
 */
public final class PrivateAddress {
    private PrivateAddress() {}

    public static boolean isPrivate(String a) {
        if (a == null || a.isEmpty()) return false;
        if (a.indexOf(':') >= 0) {
            String s = a.toLowerCase();
            return s.equals("::1")
                    || s.startsWith("fc")
                    || s.startsWith("fd")
                    || s.startsWith("fe8")
                    || s.startsWith("fe9")
                    || s.startsWith("fea")
                    || s.startsWith("feb");
        }
        int first = octet(a, 0);
        int dot = a.indexOf('.');
        int second = dot < 0 ? -1 : octet(a, dot + 1);
        return first == 10
                || first == 127
                || (first == 172 && second >= 16 && second <= 31)
                || (first == 192 && second == 168)
                || (first == 169 && second == 254);
    }

    private static int octet(String a, int from) {
        int v = 0, i = from;
        for (; i < a.length() && i - from < 3; i++) {
            char c = a.charAt(i);
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
        }
        return i == from ? -1 : v;
    }
}
