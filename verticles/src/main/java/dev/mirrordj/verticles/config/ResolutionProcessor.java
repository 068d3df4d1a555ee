package dev.mirrordj.verticles.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.ConfigCodec;
import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.Problems;
import dev.mirrordj.config.ResolveResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.function.Function;

/**
 * The vertx-config processor that turns the merged store output ({@code file}, {@code env}, {@code
 * cli}) into the resolved configuration with {@link ConfigResolver#finish} — the same overrides,
 * binding and validation the CLI uses. Output: {@code {"config": <ConfigCodec JSON> | null,
 * "warnings": [...], "errors": [...]}}.
 */
final class ResolutionProcessor implements Function<JsonObject, JsonObject> {
  private final boolean ide;

  ResolutionProcessor(boolean ide) {
    this.ide = ide;
  }

  @Override
  public JsonObject apply(JsonObject merged) {
    Problems problems = new Problems();
    JsonObject file = merged.getJsonObject("file", new JsonObject());
    StoreJson.errors(file.getJsonArray("errors")).forEach(problems::add);
    JsonObject document = file.getJsonObject("document");
    ObjectNode tree =
        document == null
            ? JsonNodeFactory.instance.objectNode()
            : (ObjectNode) StoreJson.toJackson(document);
    ResolveResult result =
        ConfigResolver.finish(
            tree,
            StoreJson.strings(merged.getJsonObject("env")),
            StoreJson.strings(merged.getJsonObject("cli")),
            ide,
            problems);
    return new JsonObject()
        .put("config", result.config().map(c -> new JsonObject(ConfigCodec.toJson(c))).orElse(null))
        .put("warnings", new JsonArray(new ArrayList<>(result.warnings())))
        .put("errors", StoreJson.errors(result.errors()));
  }
}
