package io.gnnnids.simulator;

/**
 * How busy people in the network are at a moment: quiet nights, a ramp into the working day, a lunch dip,
 * an evening tail, and quieter weekends, all in the network's local time. Seeded small per-minute noise keeps
 * two days from being identical.
 */
final class DayCurve {
    private final NetworkModel net;
    private final long noiseSeed;

    DayCurve(NetworkModel net) {
        this.net = net;
        this.noiseSeed = NetworkModel.mix(net.seed() ^ 0x6375727665L);
    }

    /** Relative traffic level at epoch second {@code t}; {@code slice} indexes the per-minute noise. */
    double level(double t, long slice) {
        double local = t + net.utcOffsetHours * 3_600.0;
        long day = (long) Math.floor(local / 86_400);
        double hour = (local - day * 86_400.0) / 3_600;
        double level = hourLevel(hour);
        int weekday = (int) Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday; Monday = 0
        if (weekday >= 5) level = Math.max(net.nightLevel, level * net.weekendLevel);
        double noise = ((NetworkModel.mix(noiseSeed + slice) >>> 11) * 0x1.0p-53 - 0.5) * 0.3;
        return level * (1 + noise);
    }

    private double hourLevel(double h) {
        double night = net.nightLevel;
        double ws = net.workStart;
        double we = net.workEnd;
        if (h < ws - 1) return night;
        if (h < ws) return night + (1 - night) * (h - (ws - 1));
        if (h < we) {
            double lunch = ws + 4.5;
            return 1 - 0.25 * Math.exp(-(h - lunch) * (h - lunch) / 0.18);
        }
        double evening = Math.max(night, net.eveningLevel);
        if (h < we + 1) return evening + (1 - evening) * (we + 1 - h);
        return night + (evening - night) * Math.max(0, (24 - h) / Math.max(0.5, 24 - we - 1));
    }
}
