package io.gnnnids.simulator;

/** The attack families the generator simulates; {@link #label} is the flow's detailed label, as in IoT-23. */
public enum AttackFamily {
    HORIZONTAL_SCAN("PartOfAHorizontalPortScan", 0.20, 80),
    VERTICAL_SCAN("VerticalPortScan", 0.08, 40),
    DDOS("DDoS", 0.24, 40),
    BRUTEFORCE_SSH("BruteForce-SSH", 0.08, 15),
    BRUTEFORCE_TELNET("BruteForce-Telnet", 0.07, 15),
    BRUTEFORCE_HTTP("BruteForce-HTTP", 0.07, 15),
    CNC("C&C", 0.10, 15),
    CNC_HEARTBEAT("C&C-HeartBeat", 0.07, 15),
    FILE_DOWNLOAD("FileDownload", 0.045, 10),
    EXFILTRATION("Exfiltration", 0.045, 10),
    /** Small answered conversations with a C&C server on an unusual port, a dozen flows each (IoT-23's Torii). */
    CNC_TORII("C&C-Torii", 0.03, 24),
    /** An infected device attacking out: login attempts and exploit requests to public hosts (IoT-23's Attack). */
    ATTACK("Attack", 0.04, 20);

    public final String label;
    /** Typical share of the attack flows, varied per network. */
    final double weight;
    /** Fewest flows an episode needs to show the family's behaviour (a scan needs many targets). */
    final int minFlows;

    AttackFamily(String label, double weight, int minFlows) {
        this.label = label;
        this.weight = weight;
        this.minFlows = minFlows;
    }

    public static AttackFamily ofLabel(String label) {
        for (AttackFamily f : values()) {
            if (f.label.equals(label)) return f;
        }
        throw new IllegalArgumentException("unknown attack family '" + label + "'");
    }
}
