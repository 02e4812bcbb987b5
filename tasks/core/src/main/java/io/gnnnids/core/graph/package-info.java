/**
 * Flows to graphs for the edge-classifying GNN.
 *
 * <p>{@link io.gnnnids.core.graph.GraphWindows} cuts the flow stream into time windows;
 * {@link io.gnnnids.core.graph.GraphBuilder} turns a window into an {@link io.gnnnids.core.graph.EdgeGraph}: endpoints
 * are nodes ({@link io.gnnnids.core.graph.NodeKey}), flows are edges. Features describe behaviour, never identity,
 * because the model is judged on networks it never trained on: a model that can see addresses, uids or times
 * learns its training network instead of the attacks.
 * <ul>
 *   <li>{@link io.gnnnids.core.graph.EdgeFeatures}: what one flow did (sizes, rates, proto, service, conn_state,
 *       port class, handshake letters, locality);</li>
 *   <li>{@link io.gnnnids.core.graph.PairFeatures}: how the flow's conversation behaves in the window (repetition,
 *       regularity, share of each endpoint's flows);</li>
 *   <li>{@link io.gnnnids.core.graph.NodeFeatures}: how each endpoint behaves (degrees, distinct peers and ports,
 *       unanswered and rejected shares, volumes).</li>
 * </ul>
 * All of them are scaled by a {@link io.gnnnids.core.graph.FeatureScaler} fitted on training windows only and saved,
 * with the service vocabulary, as the model's {@link io.gnnnids.core.graph.FeatureSpec}.
 */
package io.gnnnids.core.graph;
