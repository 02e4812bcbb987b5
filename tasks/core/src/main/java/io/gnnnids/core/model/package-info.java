/**
 * The E-GraphSAGE edge classifier on DJL's PyTorch engine: {@link io.gnnnids.core.model.EGraphSage} (network,
 * scoring, save and load) and {@link io.gnnnids.core.model.Trainer} (class-weighted cross-entropy, Adam, early
 * stopping on validation loss).
 *
 * <p>Things about DJL 0.35.1 this package relies on:
 * <ul>
 *   <li>Start the engine through {@link io.gnnnids.core.model.Djl#init()}: offline, natives from the
 *       {@code pytorch-native-cpu} jar, unpacked once into {@code $DJL_CACHE_DIR} (default
 *       {@code ~/.cache/gnn-nids/djl}). {@code JniUtils} calls made before the engine is loaded fail with
 *       {@link java.lang.UnsatisfiedLinkError}.</li>
 *   <li>No scatter-add: sums over incident edges are sparse COO products, built with
 *       {@code JniUtils.createSparseCoo} from index and value arrays that stay open while the matrix is used
 *       ({@code NDManager.createCoo} frees memory the matrix still points to).</li>
 *   <li>A result belongs to the manager of its first operand: operations start from per-call arrays so nothing
 *       lands in the model's long-lived manager.</li>
 *   <li>Java {@code double} scalars make 0-d results float64: pass {@code float}.</li>
 *   <li>Gradient recording is PyTorch's per-thread mode; a {@code GradientCollector} switches it on and restores
 *       it. Parameter updates and scoring run with it off.</li>
 * </ul>
 */
package io.gnnnids.core.model;
