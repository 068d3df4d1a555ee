package dev.mirrordj.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mirrordj.config.bind.ConfigTreeWriter;
import dev.mirrordj.config.bind.RecordBinder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The resolved configuration as JSON: reference field names, every field present, shortened forms
 * in object form, {@code target.path} as a string. Child processes (agent, proxy, layer) receive it
 * as {@value #ENV_VARIABLE} = base64 of this JSON and read it back identically, without
 * re-resolving.
 */
public final class ConfigCodec {
  /** The environment variable carrying the resolved configuration to child processes. */
  public static final String ENV_VARIABLE = "MIRRORD_RESOLVED_CONFIG";

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private ConfigCodec() {}

  public static JsonNode toTree(MirrordConfig config) {
    return ConfigTreeWriter.write(config);
  }

  public static String toJson(MirrordConfig config) {
    return toTree(config).toString();
  }

  /**
   * Reads a resolved configuration; no environment, overrides or cross-field validation applies.
   */
  public static MirrordConfig fromJson(String json) throws InvalidConfigException {
    Problems problems = new Problems();
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      problems.error(
          "", (String) null, "invalid resolved configuration JSON: " + e.getOriginalMessage());
      throw new InvalidConfigException(problems.errors());
    }
    MirrordConfig config = new RecordBinder(problems).bindRecord(MirrordConfig.class, tree, "");
    if (problems.hasErrors()) {
      throw new InvalidConfigException(problems.errors());
    }
    return config;
  }

  /** The value of {@value #ENV_VARIABLE}. */
  public static String encode(MirrordConfig config) {
    return Base64.getEncoder().encodeToString(toJson(config).getBytes(StandardCharsets.UTF_8));
  }

  /** Reads {@value #ENV_VARIABLE}. */
  public static MirrordConfig decode(String base64) throws InvalidConfigException {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(
          java.util.List.of(
              new ConfigError("", null, ENV_VARIABLE + " is not valid base64: " + e.getMessage())));
    }
    return fromJson(new String(bytes, StandardCharsets.UTF_8));
  }
}
