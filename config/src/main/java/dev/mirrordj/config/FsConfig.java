package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.bind.Range;
import dev.mirrordj.config.bind.ShortForms;
import java.util.List;
import java.util.Map;

/**
 * {@code feature.fs}: the default file mode and per-path regex overrides (case-insensitive).
 * Written as an object, a mode string, or a boolean ({@code true} = read, {@code false} = local).
 * The built-in path lists the proxy applies on top are in {@link FsDefaults}.
 *
 * @param mode default behaviour (default read)
 * @param readWrite patterns read and written remotely
 * @param readOnly patterns read remotely (opened locally when written)
 * @param local patterns served locally
 * @param notFound patterns treated as non-existent
 * @param mapping regex to replacement ({@code $1}, {@code ${name}}), applied to a path before any
 *     of the above decides where it goes; the first matching pattern wins
 * @param readonlyFileBuffer bytes fetched per read request when a read-only remote file's content
 *     is brought over (default 128000, at most 15 MiB)
 */
@ShortForms(
    bool = true,
    strings = {"local", "localwithoverrides", "read", "write"})
public record FsConfig(
    FsMode mode,
    List<String> readWrite,
    List<String> readOnly,
    List<String> local,
    List<String> notFound,
    Map<String, String> mapping,
    @Range(min = 1, max = FsConfig.READONLY_FILE_BUFFER_MAX) long readonlyFileBuffer) {
  /** Largest accepted {@code readonly_file_buffer}. */
  public static final long READONLY_FILE_BUFFER_MAX = 15L * 1024 * 1024;

  /** A {@code readonly_file_buffer} above this is accepted with a warning. */
  public static final long READONLY_FILE_BUFFER_WARN = 1024 * 1024;

  public FsConfig {
    readWrite = Immutable.list(readWrite);
    readOnly = Immutable.list(readOnly);
    local = Immutable.list(local);
    notFound = Immutable.list(notFound);
    mapping = Immutable.map(mapping);
  }

  static FsConfig defaults() {
    return new FsConfig(FsMode.READ, List.of(), List.of(), List.of(), List.of(), Map.of(), 128_000);
  }

  static JsonNode expand(JsonNode node) {
    if (node.isBoolean()) {
      return Shorthand.object().put("mode", node.booleanValue() ? "read" : "local");
    }
    if (node.isTextual()) {
      return Shorthand.object().put("mode", node.textValue());
    }
    return node;
  }
}
