/**
 * One run of {@code infer} over the hot store: the batch of flows waiting for a prediction and the context of
 * their windows, scoring and explaining them with a model version, and storing the predictions and incidents.
 */
package io.gnnnids.core.inference;
