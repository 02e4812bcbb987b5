package io.gnnnids.core.model;

import java.util.List;

/**
 * What one training epoch did.
 *
 * @param trainLoss        mean class-weighted cross-entropy of the epoch's optimiser steps (with dropout)
 * @param validationLoss   class-weighted cross-entropy over all labelled, scored validation edges (NaN without any)
 * @param validationScores attack probability of every edge of each validation graph, in the order given to
 *                         {@link Trainer#train}, so the caller can compute F1 and the like
 */
public record EpochReport(
        int epoch, double trainLoss, double validationLoss, List<float[]> validationScores, double seconds) {}
