package io.gnnnids.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowParser;
import io.gnnnids.core.flow.FlowValidator;
import io.gnnnids.core.flow.ZeekJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What real networks show and generated ones must too, for every seed and size down to one device: local chatter
 * (discovery, DHCP, ICMP, IPv6 link-local, DNS and NTP with the gateway), connections to absent hosts, the
 * internet's background scanning labelled benign, and infected devices attacking outward while their own
 * traffic stays benign.
 */
class RealNetworkBehavioursTest {

    private static final Instant START = Instant.parse("2024-05-01T00:00:00Z");
    private static final long[] SEEDS = {1, 2, 7, 11, 12, 21, 22, 47};
    private static final int[] SIZES = {1, 2, 300};

    private static List<Flow> generate(long flows, int hosts, double attackRatio, long seed) {
        List<Flow> out = new ArrayList<>();
        new TrafficGenerator(new GeneratorOptions(flows, hosts, 1, START, attackRatio, seed))
                .forEachRemaining(out::add);
        return out;
    }

    @Test
    void everySeedAndSizeHasTheLocalChatterOfRealNetworks() throws Exception {
        FlowParser parser = new FlowParser();
        for (long seed : SEEDS) {
            for (int hosts : SIZES) {
                NetworkModel net = NetworkModel.build(hosts, seed);
                List<Flow> flows = generate(15_000, hosts, 0.1, seed);
                String where = "seed " + seed + ", " + hosts + " hosts";
                assertEquals(15_000, flows.size(), where);
                for (Flow f : flows) {
                    assertEquals(f, FlowValidator.validate(f), where);
                    assertEquals(f, parser.parseJson(ZeekJson.toJsonString(f)), where);
                }
                List<Flow> benign = flows.stream()
                        .filter(f -> Flow.BENIGN.equals(f.label()))
                        .toList();
                Set<String> gateways = ips(net.gateways());
                Set<String> resolvers = new HashSet<>(gateways);
                resolvers.addAll(ips(net.byRole(Role.DNS_SERVER)));
                Set<String> known = new HashSet<>(gateways);
                known.addAll(ips(net.internalHosts()));
                Set<String> exposed = ips(net.exposedHosts());

                Map<String, Predicate<Flow>> behaviours = new TreeMap<>();
                behaviours.put(
                        "dhcp broadcast",
                        f -> f.origH().equals("0.0.0.0")
                                && f.origP() == 68
                                && f.respH().equals("255.255.255.255")
                                && f.respP() == 67
                                && "dhcp".equals(f.service())
                                && "S0".equals(f.connState())
                                && "D".equals(f.history()));
                behaviours.put(
                        "dhcp renewal",
                        f -> f.respP() == 67 && gateways.contains(f.respH()) && "SF".equals(f.connState()));
                behaviours.put(
                        "ssdp",
                        f -> f.respH().equals("239.255.255.250") && f.respP() == 1900 && "S0".equals(f.connState()));
                behaviours.put("mdns", f -> f.respH().equals("224.0.0.251") && f.respP() == 5353);
                behaviours.put(
                        "mdns over ipv6",
                        f -> f.respH().equals("ff02::fb") && f.origH().startsWith("fe80:"));
                behaviours.put(
                        "llmnr",
                        f -> (f.respH().equals("224.0.0.252") || f.respH().equals("ff02::1:3")) && f.respP() == 5355);
                behaviours.put(
                        "netbios broadcast",
                        f -> f.respP() == 137 && f.respH().endsWith(".255") && "udp".equals(f.proto()));
                behaviours.put("icmp echo", f -> "icmp".equals(f.proto()) && f.origP() == 8 && f.respP() == 0);
                behaviours.put("icmp unreachable", f -> "icmp".equals(f.proto()) && f.origP() == 3);
                behaviours.put(
                        "ipv6 link-local",
                        f -> "icmp".equals(f.proto())
                                && f.respH().startsWith("ff02:")
                                && (f.origH().startsWith("fe80:") || f.origH().equals("::")));
                behaviours.put(
                        "ntp with the gateway",
                        f -> f.respP() == 123 && gateways.contains(f.respH()) && "SF".equals(f.connState()));
                behaviours.put(
                        "ntp with public servers",
                        f -> f.respP() == 123
                                && !f.localResp()
                                && "SF".equals(f.connState())
                                && Long.valueOf(48).equals(f.origBytes())
                                && Long.valueOf(48).equals(f.respBytes()));
                behaviours.put(
                        "dns to the local resolver",
                        f -> f.respP() == 53 && resolvers.contains(f.respH()) && f.localOrig());
                behaviours.put(
                        "unanswered dns",
                        f -> f.respP() == 53 && resolvers.contains(f.respH()) && "S0".equals(f.connState()));
                behaviours.put(
                        "absent host",
                        f -> f.localOrig()
                                && f.localResp()
                                && !known.contains(f.respH())
                                && !f.respH().endsWith(".255")
                                && Set.of("S0", "REJ").contains(f.connState()));
                behaviours.put(
                        "stale connection",
                        f -> "tcp".equals(f.proto()) && Set.of("OTH", "SH").contains(f.connState()));
                behaviours.put(
                        "background scan",
                        f -> !f.localOrig()
                                && exposed.contains(f.respH())
                                && Set.of("S0", "REJ", "RSTO").contains(f.connState()));
                for (Map.Entry<String, Predicate<Flow>> b : behaviours.entrySet()) {
                    assertTrue(benign.stream().anyMatch(b.getValue()), where + ": no benign " + b.getKey());
                }
                // Background scanning is a few probes per scanner, unlike the campaigns of attacks.
                Map<String, Integer> perScanner = new HashMap<>();
                benign.stream()
                        .filter(behaviours.get("background scan"))
                        .forEach(f -> perScanner.merge(f.origH(), 1, Integer::sum));
                assertTrue(perScanner.values().stream().allMatch(n -> n <= 8), where + ": " + perScanner);
            }
        }
    }

    @Test
    void infectedDevicesAttackOutwardAndKeepTheirOwnTrafficBenign() {
        for (long seed : SEEDS) {
            for (int hosts : SIZES) {
                NetworkModel net = NetworkModel.build(hosts, seed);
                List<Flow> flows = generate(15_000, hosts, 0.1, seed);
                String where = "seed " + seed + ", " + hosts + " hosts";
                List<Flow> attacks = flows.stream()
                        .filter(f -> Flow.MALICIOUS.equals(f.label()))
                        .toList();
                Host bot = net.primaryBot();
                assertTrue(bot.role().isIot(), where + ": " + bot);

                Map<String, Predicate<Flow>> behaviours = new TreeMap<>();
                behaviours.put(
                        "outbound ACK flood",
                        f -> "DDoS".equals(f.detailedLabel())
                                && "OTH".equals(f.connState())
                                && f.localOrig()
                                && !f.localResp()
                                && f.history().matches("[AD]r?"));
                behaviours.put(
                        "outbound telnet scan",
                        f -> "PartOfAHorizontalPortScan".equals(f.detailedLabel())
                                && (f.respP() == 23 || f.respP() == 2323)
                                && f.localOrig()
                                && !f.localResp());
                behaviours.put("outbound ssh attempts", f -> f.respP() == 22 && f.localOrig() && !f.localResp());
                behaviours.put(
                        "c&c retries",
                        f -> "C&C".equals(f.detailedLabel())
                                && f.respP() == net.c2RetryPort
                                && Set.of("S3", "RSTR", "REJ", "SH").contains(f.connState()));
                behaviours.put(
                        "c&c retries unanswered",
                        f -> "C&C".equals(f.detailedLabel())
                                && f.respP() == net.c2RetryPort
                                && "S0".equals(f.connState()));
                behaviours.put(
                        "torii conversation",
                        f -> "C&C-Torii".equals(f.detailedLabel())
                                && f.respP() == net.toriiPort
                                && "SF".equals(f.connState()));
                behaviours.put(
                        "payload download",
                        f -> "FileDownload".equals(f.detailedLabel())
                                && f.origH().equals(bot.ip())
                                && "http".equals(f.service())
                                && f.respBytes() > 20_000);
                behaviours.put("attack", f -> "Attack".equals(f.detailedLabel()) && f.localOrig() && !f.localResp());
                for (Map.Entry<String, Predicate<Flow>> b : behaviours.entrySet()) {
                    assertTrue(attacks.stream().anyMatch(b.getValue()), where + ": no " + b.getKey());
                }
                // Floods are many flows from inside to one outside victim (thousands with bigger budgets than these
                // 1,500 attack flows); C&C retries repeat to one host.
                Map<String, Integer> floods = new HashMap<>();
                attacks.stream()
                        .filter(f -> "DDoS".equals(f.detailedLabel()) && f.localOrig() && !f.localResp())
                        .forEach(f -> floods.merge(f.respH(), 1, Integer::sum));
                assertTrue(floods.values().stream().anyMatch(n -> n >= 50), where + ": " + floods);
                long retries = attacks.stream()
                        .filter(f -> f.origH().equals(bot.ip()) && f.respP() == net.c2RetryPort)
                        .count();
                assertTrue(retries >= 10, where + ": " + retries + " C&C retries");
                // The infected device's ordinary traffic is there, labelled benign.
                assertTrue(attacks.stream().anyMatch(f -> f.origH().equals(bot.ip())), where);
                Set<Integer> own = new HashSet<>();
                for (Flow f : flows) {
                    if (f.origH().equals(bot.ip()) && Flow.BENIGN.equals(f.label())) own.add(f.respP());
                }
                assertTrue(own.contains(53) && own.contains(123), where + ": the bot's benign ports " + own);
            }
        }
    }

    @Test
    void withoutAttacksEverythingIsBenignAtEverySize() {
        for (int hosts : new int[] {1, 2, 5, 9, 10}) {
            List<Flow> flows = generate(5_000, hosts, 0, 3);
            assertEquals(5_000, flows.size());
            assertTrue(flows.stream().allMatch(f -> Flow.BENIGN.equals(f.label())), hosts + " hosts");
        }
    }

    @Test
    void homesHaveTheirDevicesAGatewayAndNoServers() {
        for (long seed : SEEDS) {
            for (int hosts : new int[] {1, 2, 5, 9}) {
                NetworkModel net = NetworkModel.build(hosts, seed);
                assertTrue(net.home());
                assertEquals(hosts, net.internalHosts().size());
                assertTrue(net.servers().isEmpty());
                assertTrue(!net.iotDevices().isEmpty());
                assertEquals(1, net.gateways().size());
                Host gw = net.gateway();
                assertTrue(gw.ip().endsWith(".1") && net.isLocal(gw.addr()), gw.ip());
                assertEquals(gw, net.resolverFor(net.internalHosts().get(0)));
                assertTrue(!ips(net.internalHosts()).contains(gw.ip()));
            }
        }
        NetworkModel office = NetworkModel.build(300, 1);
        assertTrue(!office.home());
        assertEquals(office.localSubnets().size(), office.gateways().size());
    }

    @Test
    void sameSeedGivesTheSameSmallNetworkRecords() {
        assertEquals(generate(5_000, 1, 0.2, 47), generate(5_000, 1, 0.2, 47));
        assertEquals(generate(5_000, 2, 0.2, 12), generate(5_000, 2, 0.2, 12));
    }

    private static Set<String> ips(List<Host> hosts) {
        Set<String> out = new HashSet<>();
        for (Host h : hosts) out.add(h.ip());
        return out;
    }
}
