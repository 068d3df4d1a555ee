package dev.mirrordj.verticles.config;

import dev.mirrordj.config.ConfigCodec;
import dev.mirrordj.config.InvalidConfigException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Event-bus codec for {@link ResolvedConfig}. Locally the immutable record is passed as is; on the
 * wire (clustered event bus) it travels as {@link ConfigCodec}'s JSON, which reads back
 * identically.
 */
public final class ResolvedConfigCodec implements MessageCodec<ResolvedConfig, ResolvedConfig> {
  public static final String NAME = "mirrord-resolved-config";

  @Override
  public void encodeToWire(Buffer buffer, ResolvedConfig value) {
    JsonObject json =
        new JsonObject()
            .put("config", new JsonObject(ConfigCodec.toJson(value.config())))
            .put("warnings", new JsonArray(new ArrayList<>(value.warnings())));
    byte[] bytes = json.encode().getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public ResolvedConfig decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    JsonObject json = new JsonObject(buffer.getString(pos + 4, pos + 4 + length, "UTF-8"));
    List<String> warnings = new ArrayList<>();
    json.getJsonArray("warnings").forEach(w -> warnings.add((String) w));
    try {
      return new ResolvedConfig(
          ConfigCodec.fromJson(json.getJsonObject("config").encode()), warnings);
    } catch (InvalidConfigException e) {
      throw new IllegalStateException(
          "corrupt resolved configuration on the event bus: " + e.getMessage(), e);
    }
  }

  @Override
  public ResolvedConfig transform(ResolvedConfig value) {
    return value; // immutable
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
