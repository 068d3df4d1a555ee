/**
 * The agent worker: runs next to the target, joined to its namespaces, and serves one or more
 * clients over the mirrordj protocol.
 *
 * <p>Shape: a server verticle ({@link dev.mirrordj.agent.AgentServerVerticle}) deploys one session
 * verticle per client connection; feature verticles own the files, outgoing, DNS, environment,
 * mirror and steal machinery. Addresses are in {@link dev.mirrordj.agent.bus.AgentAddresses},
 * messages in {@link dev.mirrordj.agent.bus.AgentMessages}; {@code docs/architecture.md} has the
 * picture.
 *
 * <p><b>The rule: control over the bus, bytes on sockets, per-request work by direct call.</b> The
 * bus carries what changes the agent's state and what a future clustered operator may send between
 * processes: subscribe, unsubscribe, filter change, client gone, rules installed/removed, capture
 * changed, and once per client the attach that hands a session its feature services. It never
 * carries connection payloads (stolen connections, mirrored copies, outgoing streams, file
 * contents) nor per-request work (a {@code read}, a DNS query): those go from the session to the
 * service the feature handed it, and from socket to socket.
 *
 * <p>Why, measured with {@code agent/src/test/.../bench/BusVsDirectBenchmark} (sequential round
 * trips started on one event loop, 200,000 each, last of 5 rounds, on the shared 2-core build
 * machine at a load average near 30, so absolute values are inflated, the proportions are not): a
 * direct call cost 0.08 µs; a local bus request/reply to a consumer on the same context 5 µs (60
 * times the call); to a consumer in another verticle, on another event loop, 35 µs with a 64-byte
 * reply and 39 µs with a 64 KiB one (the local codec passes references, the cost is the hops, not
 * the bytes); serializing one 64 KiB payload as JSON, as a clustered bus would, 1.7 ms. A file
 * request already costs one hop to the blocking pool and a system call; adding a bus round trip to
 * each would multiply the agent's own share of a small {@code read} several times, and copying
 * stolen or outgoing bytes through the bus would add that cost to every 64 KiB chunk. Control
 * messages happen a few times per client, so their cost does not matter and the bus buys
 * decoupling, independent tests and a path to clustering.
 */
package dev.mirrordj.agent;
