package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.bind.Range;
import dev.mirrordj.config.bind.ShortForms;
import java.util.List;
import java.util.Optional;

/**
 * {@code feature.network.incoming.http_filter}: steal only HTTP requests matching one filter
 * (regexes are fancy-regex, case-insensitive; see {@link dev.mirrordj.config.regex.FancyRegex}).
 * Only one filter kind may be set; {@code all_of} / {@code any_of} combine several. A boolean is
 * accepted as a short form of the default (no filter).
 *
 * @param headerFilter regex matched against each {@code name: value} header line
 * @param pathFilter regex matched against the path (then path?query)
 * @param methodFilter an HTTP method, compared case-insensitively
 * @param bodyFilter a JSONPath query and a regex on the JSON request body
 * @param allOf filters that must all match (not empty)
 * @param anyOf filters of which at least one must match (not empty)
 * @param ports the filter applies on these ports only (default [80, 8080])
 */
@ShortForms(bool = true)
public record HttpFilterConfig(
    Optional<String> headerFilter,
    Optional<String> pathFilter,
    Optional<String> methodFilter,
    Optional<HttpBodyFilter> bodyFilter,
    Optional<List<HttpInnerFilter>> allOf,
    Optional<List<HttpInnerFilter>> anyOf,
    @Range(min = 1, max = 65535) List<Integer> ports) {
  public HttpFilterConfig {
    allOf = Immutable.list(allOf);
    anyOf = Immutable.list(anyOf);
    ports = Immutable.list(ports);
  }

  static HttpFilterConfig defaults() {
    return new HttpFilterConfig(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(80, 8080));
  }

  static JsonNode expand(JsonNode node) {
    return node.isBoolean() ? Shorthand.object() : node;
  }

  /** Whether any filter is configured. */
  public boolean isSet() {
    return !kinds().isEmpty();
  }

  /** The names of the filter kinds this section sets (valid sections set at most one). */
  public List<String> kinds() {
    List<String> kinds = new java.util.ArrayList<>();
    headerFilter.ifPresent(v -> kinds.add("header_filter"));
    pathFilter.ifPresent(v -> kinds.add("path_filter"));
    methodFilter.ifPresent(v -> kinds.add("method_filter"));
    bodyFilter.ifPresent(v -> kinds.add("body_filter"));
    allOf.ifPresent(v -> kinds.add("all_of"));
    anyOf.ifPresent(v -> kinds.add("any_of"));
    return kinds;
  }
}
