package io.gnnnids.core.model;

import java.util.List;

/**
 * A trained model and how training went. The caller owns (and closes) the model.
 *
 * @param model              the weights of {@code bestEpoch}
 * @param bestEpoch          the epoch with the lowest validation loss (the last epoch when there is no validation)
 * @param stoppedEarly       true when validation loss stopped improving before the epoch limit
 * @param history            one entry per epoch run (validation scores left out)
 */
public record TrainResult(
        EGraphSage model,
        int bestEpoch,
        double bestValidationLoss,
        boolean stoppedEarly,
        double[] classWeights,
        List<EpochReport> history) {}
