package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.bind.Range;
import dev.mirrordj.config.bind.ShortForms;
import java.util.List;
import java.util.Optional;

/**
 * {@code feature.network.incoming.http_filter}: steal only HTTP requests matching one filter
 * (fancy-regex, case-insensitive; see {@link dev.mirrordj.config.regex.FancyRegex}). Only one
 * filter kind may be set. A boolean is accepted as a short form of the default (no filter).
 *
 * @param headerFilter regex matched against each {@code name: value} header line
 * @param pathFilter regex matched against the path (then path?query)
 * @param ports the filter applies on these ports only (default [80, 8080])
 */
@ShortForms(bool = true)
public record HttpFilterConfig(
    Optional<String> headerFilter,
    Optional<String> pathFilter,
    @Range(min = 1, max = 65535) List<Integer> ports) {
  public HttpFilterConfig {
    ports = Immutable.list(ports);
  }

  static HttpFilterConfig defaults() {
    return new HttpFilterConfig(Optional.empty(), Optional.empty(), List.of(80, 8080));
  }

  static JsonNode expand(JsonNode node) {
    return node.isBoolean() ? Shorthand.object() : node;
  }

  /** Whether any filter is configured. */
  public boolean isSet() {
    return headerFilter.isPresent() || pathFilter.isPresent();
  }
}
