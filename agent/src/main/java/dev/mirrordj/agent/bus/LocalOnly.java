package dev.mirrordj.agent.bus;

/**
 * A message that never leaves the worker JVM: it carries object references (a session's sink, a
 * service handle), travels on {@code local.mirrordj.agent.*} addresses, and its codec ({@link
 * LocalCodec}) refuses to serialize.
 */
public interface LocalOnly {}
