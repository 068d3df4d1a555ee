package dev.mirrordj.agent.bus;

import io.vertx.core.json.JsonObject;

/**
 * A control message that may cross processes (a future clustered operator): it serializes to JSON
 * with {@link #toJson()} and is read back by the static {@code fromJson} of its record, through a
 * {@link JsonRecordCodec}. It carries only values, never object references.
 */
public interface ClusterMessage {
  JsonObject toJson();
}
