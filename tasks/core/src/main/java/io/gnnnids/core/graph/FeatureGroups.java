package io.gnnnids.core.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The features in groups a person can read a verdict by: what the flow itself looked like (its connection state,
 * its history, its port, ...) and what its source did in the window (its fan-out, its share of unanswered
 * connections, ...). An explanation ranks these groups by how much each one moved a flow's score.
 */
public final class FeatureGroups {

    /**
     * One group: its name, whether its columns are node features (of the flow's source) or edge features (of the
     * flow), and the columns in that matrix.
     */
    public record Group(String name, boolean sourceNode, int[] columns) {}

    private FeatureGroups() {}

    /** The groups of a feature layout: edge groups first, then the source's; every column is in exactly one. */
    public static List<Group> of(FeatureSpec spec) {
        List<Group> groups = new ArrayList<>();
        groups.addAll(group(spec.edgeFeatures(), false, FeatureGroups::edgeGroup));
        groups.addAll(group(spec.nodeFeatures(), true, FeatureGroups::sourceGroup));
        return groups;
    }

    private static List<Group> group(List<String> names, boolean node, Function<String, String> groupOf) {
        Map<String, List<Integer>> columns = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++)
            columns.computeIfAbsent(groupOf.apply(names.get(i)), g -> new ArrayList<>())
                    .add(i);
        List<Group> out = new ArrayList<>();
        columns.forEach((name, cols) -> out.add(
                new Group(name, node, cols.stream().mapToInt(Integer::intValue).toArray())));
        return out;
    }

    static String edgeGroup(String feature) {
        if (feature.startsWith("proto_")) return "protocol";
        if (feature.startsWith("service_")) return "service";
        if (feature.startsWith("conn_state_")) return "connection state";
        if (feature.startsWith("resp_port_")) return "responder port";
        if (feature.startsWith("history_")) return "TCP history";
        if (feature.startsWith("local_")) return "inside or outside the network";
        if (PairFeatures.NAMES.contains(feature)) {
            return feature.contains("interval") ? "timing of the conversation" : "conversation with this peer";
        }
        return "bytes, packets and duration";
    }

    static String sourceGroup(String feature) {
        if (feature.startsWith("out_") && feature.endsWith("_share") && !feature.equals("out_flow_share")) {
            return "source's unanswered and refused share";
        }
        if (feature.startsWith("in_") && feature.endsWith("_share")) return "source's answers to others";
        if (feature.contains("_out_") || feature.startsWith("out_")) return "source's fan-out";
        if (feature.contains("_in_") || feature.startsWith("in_")) return "source's fan-in";
        if (feature.equals("udp_share") || feature.equals("icmp_share")) return "source's protocol mix";
        return "source's volumes";
    }
}
