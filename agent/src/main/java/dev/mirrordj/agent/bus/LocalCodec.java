package dev.mirrordj.agent.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The codec of a {@link LocalOnly} message (or a local reply such as a service handle): the object
 * is handed over as is, and any attempt to put it on a wire fails loudly instead of sending half a
 * message. Named {@code local.mirrordj.agent.} plus the class's simple name.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  public LocalCodec(Class<T> type) {
    this.type = type;
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    throw new UnsupportedOperationException(
        type.getSimpleName() + " is local to the agent worker and cannot cross processes");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(
        type.getSimpleName() + " is local to the agent worker and cannot cross processes");
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return "local.mirrordj.agent." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
