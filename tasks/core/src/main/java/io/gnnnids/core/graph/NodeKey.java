package io.gnnnids.core.graph;

/**
 * What a graph node stands for.
 * <ul>
 *   <li>{@link #IP}: one node per address; a host's client and server behaviour meet in one node.</li>
 *   <li>{@link #IP_PORT}: the originator is keyed by its address, the responder by address:port. A service
 *       (server:443, camera:23) then becomes its own node whose neighbours are its clients, while the
 *       originator's ephemeral source port, which means nothing, is left out; a host that also serves keeps
 *       its client behaviour in its address node.</li>
 * </ul>
 */
public enum NodeKey {
    IP,
    IP_PORT
}
