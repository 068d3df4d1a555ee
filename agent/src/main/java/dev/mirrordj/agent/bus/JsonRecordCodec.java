package dev.mirrordj.agent.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The codec of a {@link ClusterMessage}: on the wire a length-prefixed JSON object, in the same JVM
 * the record itself (records are immutable, so sharing is safe). Named {@code mirrordj.agent.json.}
 * plus the record's simple name.
 */
public final class JsonRecordCodec<T extends ClusterMessage> implements MessageCodec<T, T> {
  private final Class<T> type;
  private final Function<JsonObject, T> fromJson;

  public JsonRecordCodec(Class<T> type, Function<JsonObject, T> fromJson) {
    this.type = type;
    this.fromJson = fromJson;
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    Buffer json = message.toJson().toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson.apply(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return "mirrordj.agent.json." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
