package io.gnnnids.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    private static final Instant START = Instant.parse("2024-05-01T00:00:00Z");
    private static final Pattern UID = Pattern.compile("C[0-9A-Za-z]{17}");
    private static final Set<String> CONN_STATES =
            Set.of("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH");

    private static List<Flow> generate(long flows, int days, double attackRatio, long seed) {
        List<Flow> out = new ArrayList<>();
        new TrafficGenerator(new GeneratorOptions(flows, 200, days, START, attackRatio, seed))
                .forEachRemaining(out::add);
        return out;
    }

    private static String digest(List<Flow> flows) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (Flow f : flows) md.update(f.toString().getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @Test
    void sameSeedAndOptionsGiveTheSameRecords() throws Exception {
        List<Flow> a = generate(20_000, 1, 0.1, 7);
        List<Flow> b = generate(20_000, 1, 0.1, 7);
        assertEquals(a.subList(0, 100), b.subList(0, 100));
        assertEquals(a.subList(a.size() - 100, a.size()), b.subList(b.size() - 100, b.size()));
        assertEquals(digest(a), digest(b));
    }

    @Test
    void differentSeedsGiveDifferentNetworks() {
        NetworkModel one = NetworkModel.build(200, 1);
        NetworkModel two = NetworkModel.build(200, 2);
        assertTrue(
                java.util.Collections.disjoint(one.localSubnets(), two.localSubnets()),
                one.localSubnets() + " vs " + two.localSubnets());
        Set<String> ips1 = ips(one.internalHosts());
        Set<String> ips2 = ips(two.internalHosts());
        ips1.retainAll(ips2);
        assertTrue(ips1.isEmpty(), "internal addresses shared: " + ips1);
        Set<String> ext1 = ips(one.benignExternalHosts());
        ext1.retainAll(ips(two.benignExternalHosts()));
        assertTrue(ext1.size() < 5, "external peers shared: " + ext1);
        assertNotEquals(roleCounts(one), roleCounts(two));
    }

    @Test
    void seedsShapeAddressFamiliesAndDeviceMix() {
        Set<String> families = new HashSet<>();
        Set<Map<Role, Integer>> mixes = new HashSet<>();
        for (long seed = 1; seed <= 12; seed++) {
            NetworkModel net = NetworkModel.build(200, seed);
            families.add(net.localSubnets().get(0).split("\\.")[0]);
            mixes.add(roleCounts(net));
            assertEquals(200, net.internalHosts().size());
            assertEquals(200, ips(net.internalHosts()).size(), "addresses are unique");
            for (Host h : net.internalHosts()) assertTrue(net.isLocal(h.addr()), h.ip());
            for (Host h : net.benignExternalHosts()) assertFalse(net.isLocal(h.addr()), h.ip());
        }
        assertEquals(Set.of("10", "172", "192"), families);
        assertEquals(12, mixes.size());
    }

    @Test
    void everySeedHasEveryServerRoleAndAFewOfEveryDeviceKind() {
        Set<Map<Role, Integer>> mixes = new HashSet<>();
        for (long seed = 1; seed <= 30; seed++) {
            for (int hosts : new int[] {40, 150, 200, 2_000}) {
                NetworkModel net = NetworkModel.build(hosts, seed);
                Map<Role, Integer> counts = roleCounts(net);
                for (Role role : Role.values()) {
                    if (role == Role.EXTERNAL || role == Role.GATEWAY) continue;
                    int least = !role.isIot() ? 1 : hosts >= 200 ? 3 : hosts >= 100 ? 2 : 1;
                    assertTrue(
                            counts.getOrDefault(role, 0) >= least, "seed " + seed + ", " + hosts + " hosts: " + counts);
                }
                if (hosts == 200) mixes.add(counts);
            }
        }
        assertEquals(30, mixes.size(), "the seed still decides how many of each");
    }

    @Test
    void everySeedHasTelemetryOverTlsPlainMqttAndCoapAndCameraUploadsOverTls() {
        Set<Integer> cameraPorts = new HashSet<>();
        for (long seed = 1; seed <= 30; seed++) {
            NetworkModel net = NetworkModel.build(150, seed);
            Set<Integer> ports = new HashSet<>();
            boolean cameraTls = false;
            for (Host h : net.iotDevices()) {
                NetworkModel.Telemetry t = net.telemetry(h);
                ports.add(t.port());
                if (h.role() == Role.CAMERA && "ssl".equals(t.service())) {
                    cameraTls = true;
                    cameraPorts.add(t.port());
                }
            }
            assertTrue(ports.contains(1883) && ports.contains(5683), "seed " + seed + ": " + ports);
            assertTrue(
                    ports.contains(443) || ports.contains(8443) || ports.contains(8883), "seed " + seed + ": " + ports);
            assertTrue(cameraTls, "seed " + seed + ": no camera uploads over TLS");
        }
        assertTrue(cameraPorts.size() > 1, "the TLS port of camera clouds differs per network: " + cameraPorts);
    }

    @Test
    void everySeedCarriesEveryBenignActivity() {
        for (long seed : new long[] {11, 21, 22}) {
            NetworkModel net = NetworkModel.build(200, seed);
            Set<String> cameras = ips(net.byRole(Role.CAMERA));
            Map<String, Long> kinds = new HashMap<>();
            for (Flow f : generate(40_000, 1, 0.0, seed)) {
                boolean plainTcp = "tcp".equals(f.proto()) && f.service() == null;
                if (f.respP() == 53) kinds.merge("dns", 1L, Long::sum);
                if (f.respP() == 123) kinds.merge("ntp", 1L, Long::sum);
                if (f.respP() == 1883 && plainTcp) kinds.merge("mqtt", 1L, Long::sum);
                if (f.respP() == 5683 && "udp".equals(f.proto())) kinds.merge("coap", 1L, Long::sum);
                if (cameras.contains(f.origH()) && "ssl".equals(f.service()))
                    kinds.merge("camera upload", 1L, Long::sum);
                if (f.respP() == 5432) kinds.merge("database", 1L, Long::sum);
                if ("snmp".equals(f.service()) || "icmp".equals(f.proto())) kinds.merge("monitoring", 1L, Long::sum);
                if (f.respP() == 631 || f.respP() == 9100) kinds.merge("print", 1L, Long::sum);
                if (f.respP() == 5353 || f.respP() == 1900) kinds.merge("discovery", 1L, Long::sum);
                if (f.respP() == 22) kinds.merge("ssh", 1L, Long::sum);
                if (f.respP() == 25 || f.respP() == 587 || f.respP() == 993) kinds.merge("mail", 1L, Long::sum);
                if (f.respP() == 445 || f.respP() == 2049) kinds.merge("file share", 1L, Long::sum);
            }
            assertEquals(
                    Set.of(
                            "dns",
                            "ntp",
                            "mqtt",
                            "coap",
                            "camera upload",
                            "database",
                            "monitoring",
                            "print",
                            "discovery",
                            "ssh",
                            "mail",
                            "file share"),
                    kinds.keySet(),
                    "seed " + seed + ": " + kinds);
        }
    }

    @Test
    void producesExactlyTheRequestedFlowsInTimeOrderWithinTheRange() {
        for (long n : new long[] {0, 1, 7, 999, 30_000}) {
            List<Flow> flows = generate(n, 2, 0.1, 3);
            assertEquals(n, flows.size());
            double start = START.getEpochSecond();
            double end = start + 2 * 86_400;
            double previous = start;
            for (Flow f : flows) {
                assertTrue(f.ts() >= previous, "ts goes back at " + f);
                assertTrue(f.ts() < end, "ts past the end: " + f);
                previous = f.ts();
            }
        }
    }

    @Test
    void attackShareFollowsTheRatioAndEveryFamilyIsPresent() {
        List<Flow> flows = generate(50_000, 1, 0.1, 11);
        Map<String, Long> counts = TrafficGenerator.countByLabel(flows.iterator());
        long attacks =
                flows.stream().filter(f -> Flow.MALICIOUS.equals(f.label())).count();
        assertEquals(0.1, attacks / 50_000.0, 0.03);
        for (AttackFamily family : AttackFamily.values()) {
            assertTrue(counts.getOrDefault(family.label, 0L) > 0, family.label + " missing: " + counts);
        }
        for (long seed : new long[] {1, 2, 5}) {
            Map<String, Long> c =
                    TrafficGenerator.countByLabel(generate(20_000, 1, 0.1, seed).iterator());
            assertEquals(AttackFamily.values().length + 1, c.size(), "seed " + seed + ": " + c);
        }
    }

    @Test
    void attackRatioZeroGivesOnlyBenignTraffic() {
        List<Flow> flows = generate(20_000, 1, 0, 4);
        assertTrue(flows.stream().allMatch(f -> Flow.BENIGN.equals(f.label()) && f.detailedLabel() == null));
    }

    @Test
    void everyRecordIsAConsistentZeekConnRecord() {
        List<Flow> flows = generate(60_000, 1, 0.2, 5);
        NetworkModel net = NetworkModel.build(200, 5);
        Set<String> uids = new HashSet<>();
        for (Flow f : flows) {
            String where = f.toString();
            assertTrue(UID.matcher(f.uid()).matches(), where);
            assertTrue(uids.add(f.uid()), "duplicate uid " + where);
            assertTrue(Set.of("tcp", "udp", "icmp").contains(f.proto()), where);
            assertTrue(f.origP() >= 0 && f.origP() <= 65535 && f.respP() >= 0 && f.respP() <= 65535, where);
            assertTrue(CONN_STATES.contains(f.connState()), where);
            assertTrue(f.origPkts() >= 1 && f.respPkts() >= 0, where);
            assertEquals(0L, f.missedBytes(), where);
            assertEquals(net.isLocal(f.origH()), f.localOrig(), where);
            assertEquals(net.isLocal(f.respH()), f.localResp(), where);
            if (f.origBytes() != null) {
                int header = f.proto().equals("tcp") ? 40 : 20;
                assertTrue(f.origBytes() >= 0 && f.respBytes() >= 0, where);
                assertTrue(f.origIpBytes() >= f.origBytes() + header * f.origPkts(), where);
                assertTrue(f.respIpBytes() >= f.respBytes() + header * f.respPkts(), where);
                assertTrue(f.duration() != null && f.duration() >= 0, where);
            } else {
                // A lone packet: a SYN or datagram nobody answered, an ICMP message, or a TCP segment of a
                // connection whose start Zeek did not see (OTH) or a stray FIN (SH).
                assertNull(f.duration(), "unset bytes come with unset duration: " + where);
                Set<String> lone = switch (f.proto()) {
                    case "icmp" -> Set.of("OTH");
                    case "udp" -> Set.of("S0");
                    default -> Set.of("S0", "OTH", "SH");
                };
                assertTrue(lone.contains(f.connState()), where);
                assertEquals(1L, f.origPkts(), where);
                assertEquals(0L, f.respPkts(), where);
            }
            if (f.label().equals(Flow.BENIGN)) assertNull(f.detailedLabel(), where);
            else assertEquals(Flow.MALICIOUS, f.label(), where);
            if (f.proto().equals("tcp")) {
                assertTcpHistoryMatchesState(f);
                if (!f.connState().equals("S0")
                        && !f.connState().equals("REJ")
                        && f.history().contains("D")
                        && f.origBytes() != null) {
                    assertTrue(f.origBytes() > 0, where);
                }
            }
            if (f.proto().equals("udp")) {
                assertEquals(f.respPkts() > 0 ? "SF" : "S0", f.connState(), where);
            }
            if (f.origP() != 123 && f.origP() != 5353 && f.proto().equals("tcp")) {
                assertTrue(f.origP() >= 1024, "ephemeral source port " + where);
            }
        }
    }

    private static void assertTcpHistoryMatchesState(Flow f) {
        String h = f.history();
        String where = f.toString();
        switch (f.connState()) {
            case "S0" -> assertEquals("S", h, where);
            case "REJ" -> assertEquals("Sr", h, where);
            case "SF" -> assertTrue(h.startsWith("ShA") && h.contains("F") && h.contains("f"), where);
            case "RSTO" -> assertTrue(h.startsWith("Sh") && h.contains("R"), where);
            case "RSTR" -> assertTrue(h.startsWith("Sh") && h.contains("r"), where);
            case "S1" -> assertTrue(h.startsWith("ShA") && !h.contains("F") && !h.contains("f"), where);
            case "S3" -> assertTrue(h.startsWith("ShA") && h.contains("f") && !h.contains("F"), where);
            case "SH" -> assertTrue(!h.contains("h") && h.contains("F"), where);
            case "OTH" -> assertFalse(h.startsWith("S"), where);
            default -> throw new AssertionError("unexpected tcp state " + where);
        }
    }

    @Test
    void attacksBehaveLikeTheirFamily() {
        List<Flow> flows = generate(40_000, 1, 0.15, 9);
        Map<AttackFamily, List<Flow>> byFamily = new EnumMap<>(AttackFamily.class);
        for (Flow f : flows) {
            if (f.detailedLabel() != null) {
                byFamily.computeIfAbsent(AttackFamily.ofLabel(f.detailedLabel()), k -> new ArrayList<>())
                        .add(f);
            }
        }
        // Horizontal scan: one source sweeps at least 50 destinations on one port with failed attempts.
        Map<String, Set<String>> targets = new HashMap<>();
        for (Flow f : byFamily.get(AttackFamily.HORIZONTAL_SCAN)) {
            targets.computeIfAbsent(f.origH() + "|" + f.respP(), k -> new HashSet<>())
                    .add(f.respH());
            assertTrue(Set.of("S0", "REJ", "RSTO").contains(f.connState()), f.toString());
        }
        assertTrue(targets.values().stream().anyMatch(s -> s.size() >= 50), "no wide sweep: " + targets.keySet());
        // Vertical scan: one source, one destination, many ports.
        Map<String, Set<Integer>> ports = new HashMap<>();
        for (Flow f : byFamily.get(AttackFamily.VERTICAL_SCAN)) {
            ports.computeIfAbsent(f.origH() + ">" + f.respH(), k -> new HashSet<>())
                    .add(f.respP());
        }
        assertTrue(ports.values().stream().anyMatch(s -> s.size() >= 30), "no port sweep: " + ports.keySet());
        // DDoS: each burst hits one victim: SYNs or datagrams without answers, ACKs Zeek saw no handshake of
        // (OTH), or short HTTP requests.
        Set<String> victims = new HashSet<>();
        for (Flow f : byFamily.get(AttackFamily.DDOS)) {
            victims.add(f.respH());
            boolean http = f.respP() == 80 && "http".equals(f.service()) && f.origBytes() < 1_000;
            assertTrue(Set.of("S0", "OTH").contains(f.connState()) || http, f.toString());
        }
        assertTrue(victims.size() <= 4, "DDoS victims " + victims);
        assertTrue(byFamily.get(AttackFamily.DDOS).size() / victims.size() >= 20);
        // Brute force: many short connections to the login port.
        for (AttackFamily bf :
                List.of(AttackFamily.BRUTEFORCE_SSH, AttackFamily.BRUTEFORCE_TELNET, AttackFamily.BRUTEFORCE_HTTP)) {
            for (Flow f : byFamily.get(bf)) {
                int expected =
                        bf == AttackFamily.BRUTEFORCE_SSH ? 22 : bf == AttackFamily.BRUTEFORCE_TELNET ? 23 : f.respP();
                assertEquals(expected, f.respP(), f.toString());
                assertTrue(f.origBytes() == null || f.origBytes() < 5_000, f.toString());
            }
        }
        // Exfiltration uploads much more than it downloads; file downloads the opposite.
        for (Flow f : byFamily.get(AttackFamily.EXFILTRATION))
            assertTrue(f.origBytes() > 10 * f.respBytes(), f.toString());
        long bigDownloads = byFamily.get(AttackFamily.FILE_DOWNLOAD).stream()
                .filter(f -> f.respBytes() > 20_000)
                .count();
        assertTrue(bigDownloads > byFamily.get(AttackFamily.FILE_DOWNLOAD).size() / 2);
        // C&C beacons: from few sources to few servers, with small payloads.
        Set<String> beaconPairs = new HashSet<>();
        for (Flow f : byFamily.get(AttackFamily.CNC_HEARTBEAT)) {
            beaconPairs.add(f.origH() + ">" + f.respH());
            assertTrue(f.origBytes() < 100, f.toString());
        }
        assertTrue(beaconPairs.size() <= 6, beaconPairs.toString());
    }

    @Test
    void benignTrafficHasLookAlikesOfAttacks() {
        List<Flow> flows = generate(60_000, 1, 0.0, 6);
        long failedDns = flows.stream()
                .filter(f -> "dns".equals(f.service()) && "S0".equals(f.connState()))
                .count();
        long rejected = flows.stream().filter(f -> "REJ".equals(f.connState())).count();
        long synOnly = flows.stream()
                .filter(f -> "tcp".equals(f.proto()) && "S0".equals(f.connState()))
                .count();
        long ssh = flows.stream().filter(f -> f.respP() == 22).count();
        long bigUploads = flows.stream()
                .filter(f -> f.origBytes() != null && f.origBytes() > 1_000_000 && !Boolean.TRUE.equals(f.localResp()))
                .count();
        assertTrue(
                failedDns > 0 && rejected > 0 && synOnly > 0 && ssh > 0 && bigUploads > 0,
                "dns S0 " + failedDns + ", REJ " + rejected + ", tcp S0 " + synOnly + ", ssh " + ssh + ", uploads "
                        + bigUploads);
    }

    @Test
    void workingHoursCarryMoreTrafficThanNights() {
        List<Flow> flows = generate(50_000, 1, 0.0, 8);
        NetworkModel net = NetworkModel.build(200, 8);
        long[] perHour = new long[24];
        for (Flow f : flows) {
            double local = f.ts() + net.utcOffsetHours * 3600.0;
            perHour[(int) Math.floorMod((long) Math.floor(local / 3600), 24)]++;
        }
        long noon = perHour[(int) Math.ceil(net.workStart) + 2];
        long night = perHour[3];
        assertTrue(noon > 2 * night, "noon " + noon + " vs night " + night);
    }

    @Test
    void rejectsBadOptionsWithTheOptionName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(10, 200, 1, START, 1.5, 1));
        assertEquals("--attack-ratio must be between 0 and 1, got 1.5", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(-1, 200, 1, START, 0.1, 1))
                .getMessage()
                .startsWith("--flows"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(10, 0, 1, START, 0.1, 1))
                .getMessage()
                .startsWith("--hosts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(10, 200, 0, START, 0.1, 1))
                .getMessage()
                .startsWith("--days"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GeneratorOptions.parseStart("yesterday"))
                .getMessage()
                .startsWith("--start"));
    }

    @Test
    void defaultsEndTheTrafficAtTodaysMidnight() {
        java.time.Clock clock = java.time.Clock.fixed(Instant.parse("2024-06-10T15:30:00Z"), java.time.ZoneOffset.UTC);
        GeneratorOptions o = GeneratorOptions.withDefaults(100, null, 3, null, null, null, clock);
        assertEquals(Instant.parse("2024-06-07T00:00:00Z"), o.start());
        assertEquals(Instant.parse("2024-06-10T00:00:00Z"), o.end());
        assertEquals(GeneratorOptions.DEFAULT_HOSTS, o.hosts());
        assertEquals(0.1, o.attackRatio());
        assertEquals(1, o.seed());
        assertEquals(Instant.parse("2024-05-01T00:00:00Z"), GeneratorOptions.parseStart("2024-05-01"));
        assertEquals(Instant.parse("2024-05-01T06:00:00Z"), GeneratorOptions.parseStart("2024-05-01T06:00:00Z"));
    }

    private static Set<String> ips(List<Host> hosts) {
        Set<String> out = new HashSet<>();
        for (Host h : hosts) out.add(h.ip());
        return out;
    }

    private static Map<Role, Integer> roleCounts(NetworkModel net) {
        Map<Role, Integer> out = new EnumMap<>(Role.class);
        for (Host h : net.internalHosts()) out.merge(h.role(), 1, Integer::sum);
        return out;
    }

    private static int addr(String ip) {
        String[] p = ip.split("\\.");
        return Addresses.of(
                Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }
}
