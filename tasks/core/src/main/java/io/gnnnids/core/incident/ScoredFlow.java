package io.gnnnids.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import io.gnnnids.core.flow.Flow;

/**
 * A flagged flow, the score that flagged it, and what infer said of it: the family named and the explanation (the
 * JSON of {@code model.Explanation}); both null for a flow scored without them.
 */
public record ScoredFlow(Flow flow, double score, String family, JsonNode explanation) {

    public ScoredFlow(Flow flow, double score) {
        this(flow, score, null, null);
    }
}
