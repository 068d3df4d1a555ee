/**
 * The local internal proxy: every layer of a session connects to {@link
 * dev.mirrordj.verticles.proxy.ProxyVerticle} over one unix socket and is answered by {@link
 * dev.mirrordj.verticles.proxy.ProxyHandler}, which applies the policies — {@link
 * dev.mirrordj.verticles.proxy.FsPolicy} (mirrord's rule order, default lists, decisions cached per
 * path), {@link dev.mirrordj.verticles.proxy.OutgoingPolicy} (tcp/udp switches, ignore_localhost,
 * local/remote filters, unix_streams, cached per address), {@link
 * dev.mirrordj.verticles.proxy.ProcessPolicy} (skip_processes, build tools) — and talks to the pod
 * through one shared {@link dev.mirrordj.verticles.proxy.remote.RemoteTarget} (the agent
 * connection, {@link dev.mirrordj.verticles.proxy.remote.AgentRemoteTarget}). Outgoing connections
 * are relayed by one-shot loopback (or unix) interceptors; datagrams by a loopback UDP interceptor
 * per process and destination. {@code experimental.tcp_ping4_mock} (on by default) accepts TCP port
 * 7 without the pod and answers nothing.
 */
package dev.mirrordj.verticles.proxy;
