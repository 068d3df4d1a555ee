/**
 * The operator: a clustered multi-user mode. Nodes form a Vert.x cluster on Hazelcast ({@link
 * dev.mirrordj.verticles.cluster.OperatorNode}); users open sessions on a node's session port, each
 * relayed to the one agent shared by every session on its target ({@link
 * dev.mirrordj.verticles.cluster.RelayedSession}); sessions, port locks and agents live in
 * Hazelcast maps ({@link dev.mirrordj.verticles.cluster.OperatorState}) owned by the {@link
 * dev.mirrordj.verticles.cluster.ClusterVerticle}; the {@link
 * dev.mirrordj.verticles.cluster.StatusVerticle} shows them.
 */
package dev.mirrordj.verticles.cluster;
