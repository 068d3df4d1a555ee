/**
 * Agents this machine starts itself: a {@link dev.mirrordj.verticles.agents.LocalAgent} next to a
 * local {@code pid/} target, used by {@code run} and by the operator (which shares one among every
 * session on the target).
 */
package dev.mirrordj.verticles.agents;
