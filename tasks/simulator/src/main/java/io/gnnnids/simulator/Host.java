package io.gnnnids.simulator;

/**
 * One address of the simulated network, internal or external. {@code ip} is kept as text because every flow
 * needs it that way; {@code activity} scales how much traffic the host originates; {@code ephemeralLow} and
 * {@code ephemeralHigh} are the source-port range of its operating system.
 */
public record Host(
        String ip, int addr, Role role, boolean local, double activity, int ephemeralLow, int ephemeralHigh) {

    /** A peer outside the local subnets that only answers or attacks. */
    static Host external(int addr) {
        return new Host(Addresses.format(addr), addr, Role.EXTERNAL, false, 1.0, 1024, 65535);
    }
}
