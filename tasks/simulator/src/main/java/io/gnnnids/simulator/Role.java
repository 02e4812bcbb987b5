package io.gnnnids.simulator;

/** What a host is in the simulated network; decides which traffic it originates and answers. */
public enum Role {
    WORKSTATION,
    LAPTOP,
    DNS_SERVER,
    WEB_SERVER,
    FILE_SERVER,
    MAIL_SERVER,
    DB_SERVER,
    MONITORING_SERVER,
    CAMERA,
    THERMOSTAT,
    SMART_SPEAKER,
    SMART_TV,
    PRINTER,
    LIGHT_HUB,
    /** The router at x.x.x.1 of a subnet: default route, DHCP, and DNS and NTP for whoever asks it. */
    GATEWAY,
    /** Anything outside the local subnets. */
    EXTERNAL;

    public boolean isClient() {
        return this == WORKSTATION || this == LAPTOP;
    }

    public boolean isServer() {
        return this == DNS_SERVER
                || this == WEB_SERVER
                || this == FILE_SERVER
                || this == MAIL_SERVER
                || this == DB_SERVER
                || this == MONITORING_SERVER;
    }

    public boolean isIot() {
        return this == CAMERA
                || this == THERMOSTAT
                || this == SMART_SPEAKER
                || this == SMART_TV
                || this == PRINTER
                || this == LIGHT_HUB;
    }
}
