package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import java.util.SplittableRandom;

/**
 * Turns "who talked to whom, how, and how much" into a Zeek conn record whose counters agree with each other:
 * packets follow from bytes and the TCP history, IP bytes add header overhead, single-packet attempts leave
 * duration and byte counts unset as Zeek does, and every record gets a fresh Zeek-style uid.
 */
final class FlowFactory {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int MSS = 1448;
    /** IPv4 + TCP header with the timestamp option, as on most data packets. */
    private static final int TCP_HEADER = 52;

    private static final int UDP_HEADER = 28;

    private final SplittableRandom rng;
    private final long uidSalt;
    private long uidCounter;

    FlowFactory(SplittableRandom rng, long seed) {
        this.rng = rng;
        this.uidSalt = NetworkModel.mix(seed ^ 0x756964L);
    }

    SplittableRandom rng() {
        return rng;
    }

    /** "C" + 17 base62 characters: 6 random ones, then a bijective scramble of a counter, so uids never repeat. */
    String uid() {
        char[] c = new char[18];
        c[0] = 'C';
        long r = rng.nextLong() >>> 1;
        for (int i = 1; i <= 6; i++) {
            c[i] = BASE62[(int) (r % 62)];
            r /= 62;
        }
        long u = NetworkModel.mix(uidCounter++ + uidSalt);
        for (int i = 17; i >= 7; i--) {
            c[i] = BASE62[(int) Long.remainderUnsigned(u, 62)];
            u = Long.divideUnsigned(u, 62);
        }
        return new String(c);
    }

    int sourcePort(Host h) {
        return h.ephemeralLow() + rng.nextInt(h.ephemeralHigh() - h.ephemeralLow() + 1);
    }

    /** An established TCP connection (SF, RSTO, RSTR, S1, S2, S3 ...) with data in either direction. */
    Flow tcp(
            double ts,
            Host o,
            int op,
            Host r,
            int rp,
            String service,
            String state,
            String history,
            double duration,
            long ob,
            long rb,
            String attack) {
        long dataO = (ob + MSS - 1) / MSS;
        long dataR = (rb + MSS - 1) / MSS;
        long origPkts = 2 + dataO + dataR / 2 + count(history, 'F') + count(history, 'R');
        long respPkts = 1 + dataR + dataO / 2 + count(history, 'f') + count(history, 'r');
        return new Flow(
                ts,
                uid(),
                o.ip(),
                op,
                r.ip(),
                rp,
                "tcp",
                service,
                round6(duration),
                ob,
                rb,
                state,
                o.local(),
                r.local(),
                0L,
                history,
                origPkts,
                ob + origPkts * TCP_HEADER + 8,
                respPkts,
                rb + respPkts * TCP_HEADER + 8,
                label(attack),
                attack);
    }

    /** SYNs that got no answer (S0, history "S"); one SYN leaves duration and bytes unset. */
    Flow tcpNoAnswer(double ts, Host o, int op, Host r, int rp, int syns, int synBytes, String attack) {
        Double duration = syns > 1 ? round6((syns == 2 ? 1 : 3) + 0.2 * rng.nextDouble()) : null;
        Long bytes = syns > 1 ? 0L : null;
        return new Flow(
                ts,
                uid(),
                o.ip(),
                op,
                r.ip(),
                rp,
                "tcp",
                null,
                duration,
                bytes,
                bytes,
                "S0",
                o.local(),
                r.local(),
                0L,
                "S",
                (long) syns,
                (long) syns * synBytes,
                0L,
                0L,
                label(attack),
                attack);
    }

    /** SYN answered by RST: the port is closed (REJ, history "Sr"). */
    Flow tcpRejected(double ts, Host o, int op, Host r, int rp, int synBytes, double rtt, String attack) {
        return new Flow(
                ts,
                uid(),
                o.ip(),
                op,
                r.ip(),
                rp,
                "tcp",
                null,
                round6(rtt),
                0L,
                0L,
                "REJ",
                o.local(),
                r.local(),
                0L,
                "Sr",
                1L,
                (long) synBytes,
                1L,
                40L,
                label(attack),
                attack);
    }

    /** SYN, SYN-ACK, then the originator resets without sending data: a half-open probe of an open port. */
    Flow tcpProbeOpen(double ts, Host o, int op, Host r, int rp, int synBytes, double rtt, String attack) {
        return new Flow(
                ts,
                uid(),
                o.ip(),
                op,
                r.ip(),
                rp,
                "tcp",
                null,
                round6(rtt),
                0L,
                0L,
                "RSTO",
                o.local(),
                r.local(),
                0L,
                "ShR",
                2L,
                synBytes + 40L,
                1L,
                44L,
                label(attack),
                attack);
    }

    /** A UDP exchange: SF "Dd" when answered, S0 "D" otherwise (one unanswered datagram leaves fields unset). */
    Flow udp(
            double ts,
            Host o,
            int op,
            Host r,
            int rp,
            String service,
            double duration,
            long ob,
            long rb,
            long origPkts,
            long respPkts,
            String attack) {
        return udp(
                ts, o.ip(), o.local(), op, r.ip(), r.local(), rp, service, duration, ob, rb, origPkts, respPkts, false,
                attack);
    }

    /**
     * A UDP exchange between addresses given as text: the unspecified address of a DHCP client, broadcast,
     * multicast, IPv6 link-local. {@code v6} counts IPv6's 40-byte header instead of IPv4's 20.
     */
    Flow udp(
            double ts,
            String o,
            boolean oLocal,
            int op,
            String r,
            boolean rLocal,
            int rp,
            String service,
            double duration,
            long ob,
            long rb,
            long origPkts,
            long respPkts,
            boolean v6,
            String attack) {
        boolean answered = respPkts > 0;
        boolean single = !answered && origPkts == 1;
        int header = v6 ? UDP_HEADER + 20 : UDP_HEADER;
        return new Flow(
                ts,
                uid(),
                o,
                op,
                r,
                rp,
                "udp",
                service,
                single ? null : round6(duration),
                single ? null : ob,
                single ? null : rb,
                answered ? "SF" : "S0",
                oLocal,
                rLocal,
                0L,
                answered ? "Dd" : "D",
                origPkts,
                ob + origPkts * header,
                respPkts,
                rb + respPkts * header,
                label(attack),
                attack);
    }

    /** ICMP echo; Zeek puts type and code in the port fields and logs the pair as OTH. */
    Flow icmpEcho(double ts, Host o, Host r, long payload, double rtt, boolean answered, String attack) {
        // A lone unanswered packet has no duration, and Zeek then leaves the byte counts unset too.
        return new Flow(
                ts,
                uid(),
                o.ip(),
                8,
                r.ip(),
                0,
                "icmp",
                null,
                answered ? round6(rtt) : null,
                answered ? payload : null,
                answered ? payload : null,
                "OTH",
                o.local(),
                r.local(),
                0L,
                null,
                1L,
                payload + 28,
                answered ? 1L : 0L,
                answered ? payload + 28 : 0L,
                label(attack),
                attack);
    }

    /**
     * Any ICMP or ICMPv6 record: Zeek puts the type in orig_p and the code (or the answering type, for
     * request/reply pairs) in resp_p, logs it as OTH without history, and counts bytes after the 8-byte ICMP
     * header; a lone packet leaves duration and bytes unset.
     */
    Flow icmp(
            double ts,
            String o,
            boolean oLocal,
            int type,
            String r,
            boolean rLocal,
            int code,
            long origPkts,
            long payloadPerPkt,
            long respPkts,
            double duration,
            boolean v6,
            String attack) {
        boolean single = origPkts + respPkts == 1;
        int header = v6 ? 48 : 28;
        long ob = origPkts * payloadPerPkt;
        long rb = respPkts * payloadPerPkt;
        return new Flow(
                ts,
                uid(),
                o,
                type,
                r,
                code,
                "icmp",
                null,
                single ? null : round6(duration),
                single ? null : ob,
                single ? null : rb,
                "OTH",
                oLocal,
                rLocal,
                0L,
                null,
                origPkts,
                ob + origPkts * header,
                respPkts,
                rb + respPkts * header,
                label(attack),
                attack);
    }

    /**
     * A TCP record with its packet counts given: what Zeek writes when it missed the handshake (OTH, history
     * "A", "D", "DdA" ...), for a SYN then FIN nobody answered (SH, "SF"), or a stray FIN (SH, "F"). Packets
     * carry no options (40-byte headers); a lone packet leaves duration and bytes unset.
     */
    Flow tcpCounted(
            double ts,
            Host o,
            int op,
            Host r,
            int rp,
            String service,
            String state,
            String history,
            long origPkts,
            long ob,
            long respPkts,
            long rb,
            double duration,
            String attack) {
        boolean single = origPkts + respPkts == 1;
        return new Flow(
                ts,
                uid(),
                o.ip(),
                op,
                r.ip(),
                rp,
                "tcp",
                service,
                single ? null : round6(duration),
                single ? null : ob,
                single ? null : rb,
                state,
                o.local(),
                r.local(),
                0L,
                history,
                origPkts,
                ob + origPkts * 40,
                respPkts,
                rb + respPkts * 40,
                label(attack),
                attack);
    }

    private static String label(String attack) {
        return attack == null ? Flow.BENIGN : Flow.MALICIOUS;
    }

    private static long count(String s, char c) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) n++;
        }
        return n;
    }

    static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
