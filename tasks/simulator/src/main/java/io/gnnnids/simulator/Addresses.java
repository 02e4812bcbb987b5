package io.gnnnids.simulator;

import java.util.SplittableRandom;

/** IPv4 addresses as ints: formatting, and drawing public addresses that belong to no reserved range. */
final class Addresses {
    private Addresses() {}

    static int of(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    static String format(int addr) {
        return ((addr >>> 24) & 0xFF) + "." + ((addr >>> 16) & 0xFF) + "." + ((addr >>> 8) & 0xFF) + "."
                + (addr & 0xFF);
    }

    /** A random routable unicast address (no private, loopback, link-local, CGNAT, multicast or reserved). */
    static int randomPublic(SplittableRandom rng) {
        while (true) {
            int a = 1 + rng.nextInt(223);
            int b = rng.nextInt(256);
            if (a == 10
                    || a == 127
                    || a == 0
                    || (a == 100 && b >= 64 && b < 128)
                    || (a == 169 && b == 254)
                    || (a == 172 && b >= 16 && b < 32)
                    || (a == 192 && b == 168)
                    || (a == 192 && b == 0)
                    || (a == 198 && (b == 18 || b == 19 || b == 51))
                    || (a == 203 && b == 0)) {
                continue;
            }
            return of(a, b, rng.nextInt(256), 1 + rng.nextInt(254));
        }
    }
}
