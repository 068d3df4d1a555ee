package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generated schema describes every field the model has, with its shortened forms and defaults.
 */
class ConfigSchemaTest {
  private final JsonNode schema = ConfigSchema.generate();

  /** The object-form schema of a node (unwrapping anyOf for shortened forms and nullables). */
  private static JsonNode objectForm(JsonNode s) {
    if (s.has("anyOf")) {
      for (JsonNode alt : s.get("anyOf")) {
        if ("object".equals(alt.path("type").asText()) || alt.has("anyOf")) {
          return objectForm(alt);
        }
      }
    }
    return s;
  }

  private void assertCovers(JsonNode value, JsonNode s, String path) {
    if (!value.isObject()) {
      return;
    }
    JsonNode obj = objectForm(s);
    if (obj.has("additionalProperties") && obj.get("additionalProperties").isObject()) {
      return; // free-form maps (labels, override)
    }
    JsonNode props = obj.get("properties");
    if (props == null) {
      return; // value types with their own schema
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertTrue(props.has(e.getKey()), "schema lacks " + path + "." + e.getKey());
      assertCovers(e.getValue(), props.get(e.getKey()), path + "." + e.getKey());
    }
  }

  @Test
  void coversEveryFieldOfTheResolvedConfiguration() {
    MirrordConfig c =
        Resolve.ok(
            ConfigResolver.resolve(
                ConfigSource.file(Resolve.resource("complete.json")), Map.of(), Map.of(), false));
    assertCovers(ConfigCodec.toTree(c), schema, "");
    assertEquals(15, schema.get("properties").size());
  }

  @Test
  void describesShortFormsEnumsRangesAndDefaults() {
    assertEquals("http://json-schema.org/draft-07/schema#", schema.get("$schema").asText());
    assertFalse(schema.get("additionalProperties").asBoolean());
    JsonNode fs = schema.at("/properties/feature/properties/fs");
    assertEquals("boolean", fs.at("/anyOf/1/type").asText());
    assertEquals("localwithoverrides", fs.at("/anyOf/2/enum/1").asText());
    JsonNode incoming =
        objectForm(schema.at("/properties/feature/properties/network")).at("/properties/incoming");
    JsonNode mode = objectForm(incoming).at("/properties/mode");
    assertEquals("mirror", mode.get("default").asText());
    assertEquals(3, mode.get("enum").size());
    JsonNode ignorePorts = objectForm(incoming).at("/properties/ignore_ports/items");
    assertEquals(1, ignorePorts.get("minimum").asInt());
    assertEquals(65535, ignorePorts.get("maximum").asInt());
    assertEquals(1, schema.at("/properties/agent/properties/ttl/default").asInt());
    assertTrue(schema.at("/properties/target/anyOf/0/properties/path/anyOf/0/oneOf").isArray());
  }

  @Test
  void theTargetShortFormHasThePathPattern() {
    // The short string form of `target` is a path, so editors flag "bear-pod" just as the loader
    // does.
    JsonNode shortForm = schema.at("/properties/target/anyOf/1");
    assertEquals("string", shortForm.get("type").asText());
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(shortForm.get("pattern").asText());
    assertTrue(p.matcher("pod/bear-pod/container/app").matches());
    assertFalse(p.matcher("bear-pod").matches());
  }

  @Test
  void imagePullPolicyIsAnEnumInTheSchema() {
    JsonNode policy = schema.at("/properties/agent/properties/image_pull_policy");
    assertEquals("IfNotPresent", policy.at("/enum/0").asText());
    assertEquals(3, policy.get("enum").size());
  }
}
