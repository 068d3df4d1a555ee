package dev.mirrordj.verticles.bus;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;

/**
 * Codec of a message that may cross processes (clustered event bus): a record written as JSON
 * (length-prefixed). In this JVM the immutable record itself is delivered.
 */
public final class JsonRecordCodec<T extends Record> implements MessageCodec<T, T> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Class<T> type;

  public JsonRecordCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(value);
      buffer.appendInt(bytes.length).appendBytes(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + type.getName() + ": " + e, e);
    }
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    try {
      return JSON.readValue(buffer.getBytes(pos + 4, pos + 4 + length), type);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt " + type.getName() + " on the event bus: " + e, e);
    }
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "mirrord.json." + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
