/**
 * Incoming traffic on the local side of `run`: the layer reports each listener of the program (op
 * 10 Listen, op 12 Unlisten, and the process's layer connections closing), {@link
 * dev.mirrordj.verticles.proxy.incoming.SubscriptionPlan} decides from feature.network.incoming
 * which remote port that means and how (mirror, whole-port steal, filtered steal, or stay local),
 * and {@link dev.mirrordj.verticles.proxy.incoming.IncomingForwarder} holds one agent subscription
 * per remote port, delivering each remote connection into a real connection to the listener.
 */
package dev.mirrordj.verticles.proxy.incoming;
