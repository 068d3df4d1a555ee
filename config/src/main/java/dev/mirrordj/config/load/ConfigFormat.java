package dev.mirrordj.config.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats a configuration may be written in, chosen by the file's extension. */
public enum ConfigFormat {
  JSON(JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build()),
  YAML(YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build()),
  TOML(TomlMapper.builder().build());

  private final ObjectMapper mapper;

  ConfigFormat(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** {@code .json} or no extension: JSON; {@code .yaml}/{@code .yml}: YAML; {@code .toml}: TOML. */
  public static ConfigFormat of(Path path) throws UnsupportedFormatException {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return JSON;
    }
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "json" -> JSON;
      case "yaml", "yml" -> YAML;
      case "toml" -> TOML;
      default ->
          throw new UnsupportedFormatException(
              "the file has an invalid extension '"
                  + ext
                  + "', must have one of: json, toml, yml, yaml (no extension is read as JSON)");
    };
  }

  /** Parses a document; the exception message names the line and column. */
  public JsonNode parse(String text) throws ParseException {
    try {
      JsonNode node = mapper.readTree(text);
      if (node == null || node.isMissingNode()) {
        // An empty document is an empty configuration (all defaults), as with no file at all.
        return mapper.createObjectNode();
      }
      return node;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new ParseException("invalid " + name() + where + ": " + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw new ParseException("invalid " + name() + ": " + e.getMessage(), e);
    }
  }

  /** The document is not valid in its format. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The file's extension names no supported format. */
  public static final class UnsupportedFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsupportedFormatException(String message) {
      super(message);
    }
  }
}
