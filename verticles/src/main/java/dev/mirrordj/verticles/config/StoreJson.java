package dev.mirrordj.verticles.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mirrordj.config.ConfigError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the config module's Jackson trees and vertx-config's JSON objects. */
final class StoreJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StoreJson() {}

  static JsonObject toVertx(JsonNode node) {
    return new JsonObject(node.toString());
  }

  static JsonNode toJackson(JsonObject json) {
    try {
      return MAPPER.readTree(json.encode());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("vertx-config produced invalid JSON", e);
    }
  }

  static JsonArray errors(List<ConfigError> errors) {
    JsonArray arr = new JsonArray();
    for (ConfigError e : errors) {
      arr.add(
          new JsonObject()
              .put("path", e.path())
              .put("value", e.value())
              .put("message", e.message()));
    }
    return arr;
  }

  static List<ConfigError> errors(JsonArray arr) {
    List<ConfigError> out = new ArrayList<>();
    if (arr != null) {
      for (int i = 0; i < arr.size(); i++) {
        JsonObject e = arr.getJsonObject(i);
        out.add(new ConfigError(e.getString("path"), e.getString("value"), e.getString("message")));
      }
    }
    return out;
  }

  static Map<String, String> strings(JsonObject json) {
    Map<String, String> out = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return out;
  }

  static JsonObject fromStrings(Map<String, String> map) {
    JsonObject json = new JsonObject();
    map.forEach(json::put);
    return json;
  }
}
