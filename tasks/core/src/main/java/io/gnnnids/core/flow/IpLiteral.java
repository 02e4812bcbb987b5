package io.gnnnids.core.flow;

/**
 * Syntax check for IPv4 and IPv6 literals as Zeek writes them. Purely textual: no resolver is ever asked, so a
 * host name in an address field is rejected rather than looked up.
 */
final class IpLiteral {
    private IpLiteral() {}

    static boolean isValid(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return false;
        }
        return s.indexOf(':') >= 0 ? isIpv6(s) : isIpv4(s, 0, s.length());
    }

    /** Dotted quad, each part 0-255 written in 1-3 decimal digits. */
    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4) {
                char ch = s.charAt(i);
                if (ch < '0' || ch > '9') {
                    break;
                }
                value = value * 10 + (ch - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** Up to eight 1-4 digit hex groups, at most one "::", optionally ending in a dotted quad (::ffff:1.2.3.4). */
    static boolean isIpv6(String s) {
        int n = s.length();
        int groups = 0;
        boolean compressed = false;
        int i = 0;
        if (s.startsWith("::")) {
            compressed = true;
            i = 2;
            if (i == n) {
                return true;
            }
        } else if (s.charAt(0) == ':') {
            return false;
        }
        while (i < n) {
            int start = i;
            while (i < n && i - start < 5 && Character.digit(s.charAt(i), 16) >= 0) {
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // embedded IPv4 tail takes the place of two groups
                if (!isIpv4(s, start, n)) {
                    return false;
                }
                groups += 2;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return false;
            }
            groups++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return false; // trailing single colon
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }
}
