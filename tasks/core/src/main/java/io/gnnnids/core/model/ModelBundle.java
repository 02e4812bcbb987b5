package io.gnnnids.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gnnnids.core.graph.FeatureSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A model version's files: {@code model.params} (the network's weights) and {@code model.json} (architecture,
 * feature list, scaler statistics, decision threshold, graph window, the training data range and, for versions
 * trained with one, the family head). Everything
 * needed to score flows exactly as at training time.
 */
public final class ModelBundle {
    public static final String CARD_FILE = "model.json";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelBundle() {}

    /**
     * What model.json says besides the features.
     *
     * @param dataRange free-form facts about the training data (first/last day, row counts) and its test metrics
     */
    public record Card(
            EGraphSage.Architecture architecture,
            FeatureSpec features,
            double threshold,
            Duration window,
            JsonNode dataRange,
            FamilyHead familyHead) {
        /** A card without a family head: the version flags flows without naming their family. */
        public Card(
                EGraphSage.Architecture architecture,
                FeatureSpec features,
                double threshold,
                Duration window,
                JsonNode dataRange) {
            this(architecture, features, threshold, window, dataRange, null);
        }
    }

    public static void save(Path dir, EGraphSage model, Card card) throws IOException {
        Files.createDirectories(dir);
        model.save(dir.resolve(EGraphSage.PARAMETERS_FILE));
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("model", "E-GraphSAGE edge classifier");
        root.set("architecture", JSON.valueToTree(card.architecture()));
        root.put("threshold", card.threshold());
        root.put("window", card.window().toString());
        root.set("features", card.features().toJson());
        root.set("data", card.dataRange() == null ? JSON.createObjectNode() : card.dataRange());
        if (card.familyHead() != null) root.set("family_head", card.familyHead().toJson());
        JSON.writeValue(dir.resolve(CARD_FILE).toFile(), root);
    }

    public static Card readCard(Path dir) throws IOException {
        JsonNode root = JSON.readTree(dir.resolve(CARD_FILE).toFile());
        int format = root.path("format_version").asInt(-1);
        if (format != FORMAT_VERSION) {
            throw new IOException(dir.resolve(CARD_FILE) + " has format " + format + ", this build reads "
                    + FORMAT_VERSION + ": train a new model version with this build");
        }
        return new Card(
                JSON.treeToValue(root.get("architecture"), EGraphSage.Architecture.class),
                FeatureSpec.fromJson(root.get("features")),
                root.path("threshold").asDouble(),
                Duration.parse(root.path("window").asText()),
                root.get("data"),
                FamilyHead.fromJson(root.get("family_head")));
    }

    /** Loads the model; the caller closes it. */
    public static EGraphSage loadModel(Path dir) throws IOException {
        return EGraphSage.load(dir.resolve(EGraphSage.PARAMETERS_FILE));
    }
}
