/**
 * Incoming traffic on the local side of `run`: the layer reports each listener of the program (op
 * 10 Listen, op 12 Unlisten, and the process's layer connections closing); the proxy turns those
 * reports into bus messages for the {@link dev.mirrordj.verticles.proxy.incoming.IncomingVerticle}.
 * There {@link dev.mirrordj.verticles.proxy.incoming.SubscriptionPlan} decides from
 * feature.network.incoming which remote port that means and how (mirror, whole-port steal, filtered
 * steal, or stay local), and {@link dev.mirrordj.verticles.proxy.incoming.IncomingForwarder} holds
 * one agent subscription per remote port, asking the agent link to deliver each remote connection
 * into a real connection to the listener.
 */
package dev.mirrordj.verticles.proxy.incoming;
