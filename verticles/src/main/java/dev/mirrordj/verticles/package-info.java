/**
 * The local side of a session (the {@code run} / {@code exec} JVM) as verticles that talk over the
 * Vert.x event bus: {@link dev.mirrordj.verticles.config.ConfigVerticle}, {@link
 * dev.mirrordj.verticles.proxy.ProxyVerticle}, {@link
 * dev.mirrordj.verticles.proxy.incoming.IncomingVerticle} here; the agent link and progress
 * verticles live in the CLI, next to the agent launchers and renderers they drive. Every address is
 * in {@link dev.mirrordj.verticles.Addresses}, every message in {@link
 * dev.mirrordj.verticles.Messages}, every codec registered by {@link
 * dev.mirrordj.verticles.bus.Codecs}.
 *
 * <p><b>Control over the bus, bytes on sockets.</b> The bus carries control and small messages
 * (configuration, agent state, subscriptions, listener events, progress). Connection payloads — the
 * layer's requests and replies, outgoing and incoming connections, file contents — stay on the
 * layer socket and NetSocket pipes: a copy and a hop through the bus would cost on the hot path and
 * buy nothing. A message that a clustered mode may send between processes has a serializing codec;
 * one that never leaves the JVM is marked {@link dev.mirrordj.verticles.Messages.LocalOnly} and its
 * address is named {@code LOCAL_*}.
 */
package dev.mirrordj.verticles;
