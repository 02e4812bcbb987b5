package io.gnnnids.core.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Everything needed to rebuild, at inference time, exactly the features a model was trained on: the node key,
 * the fitted service vocabulary, the feature names (to detect a layout change) and the scalers fitted on the
 * training data. Saved inside a model version's model.json.
 *
 * @param version      layout version; {@link #CURRENT_VERSION} for specs this code fits
 * @param services     the service vocabulary, most frequent in training first
 * @param edgeFeatures edge feature names, in column order
 * @param nodeFeatures node feature names, in column order
 */
public record FeatureSpec(
        int version,
        NodeKey nodeKey,
        List<String> services,
        List<String> edgeFeatures,
        List<String> nodeFeatures,
        FeatureScaler edgeScaler,
        FeatureScaler nodeScaler) {

    public static final int CURRENT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public FeatureSpec {
        if (nodeKey == null) throw new IllegalArgumentException("feature spec has no node key");
        services = List.copyOf(services);
        edgeFeatures = List.copyOf(edgeFeatures);
        nodeFeatures = List.copyOf(nodeFeatures);
        if (edgeScaler.dim() != edgeFeatures.size() || nodeScaler.dim() != nodeFeatures.size()) {
            throw new IllegalArgumentException("feature spec scalers do not match its feature lists");
        }
    }

    /** A spec with identity scalers: the layout for a vocabulary, before any scaling is fitted. */
    public static FeatureSpec unscaled(NodeKey key, List<String> services) {
        List<String> edges = GraphBuilder.edgeNames(new EdgeFeatures(services));
        return new FeatureSpec(
                CURRENT_VERSION,
                key,
                services,
                edges,
                NodeFeatures.names(),
                FeatureScaler.identity(edges.size()),
                FeatureScaler.identity(NodeFeatures.DIM));
    }

    public int edgeDim() {
        return edgeFeatures.size();
    }

    public int nodeDim() {
        return nodeFeatures.size();
    }

    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    public String toJsonString() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature spec could not be written as JSON", e);
        }
    }

    /** Reads a spec written by {@link #toJson}; a malformed one fails with a message naming the problem. */
    public static FeatureSpec fromJson(JsonNode json) {
        try {
            return JSON.treeToValue(json, FeatureSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("feature spec in model.json is unreadable: " + e.getMessage(), e);
        }
    }

    public static FeatureSpec fromJson(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("feature spec is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
