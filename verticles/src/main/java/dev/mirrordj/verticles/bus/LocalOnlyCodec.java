package dev.mirrordj.verticles.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Codec of a message that never leaves this JVM: the (immutable) object itself is delivered, and an
 * attempt to put it on a clustered wire fails loudly instead of sending a half-copy of an object
 * reference.
 */
public final class LocalOnlyCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  public LocalOnlyCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new IllegalStateException(
        type.getName() + " is a local-only message; it cannot be sent to another process");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(
        type.getName() + " is a local-only message; it cannot arrive from another process");
  }

  @Override
  public T transform(T value) {
    return value; // records with immutable fields: sharing is safe
  }

  @Override
  public String name() {
    return "mirrord.local." + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
