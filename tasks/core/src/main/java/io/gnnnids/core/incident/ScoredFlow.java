package io.gnnnids.core.incident;

import io.gnnnids.core.flow.Flow;

/** A flagged flow and the score that flagged it. */
public record ScoredFlow(Flow flow, double score) {
}
