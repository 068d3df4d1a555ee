package dev.mirrordj.config;

import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code http_filter.all_of} / {@code any_of}: exactly one of a header regex, a path
 * regex, a method, a JSON body filter ({@code body: "json"} with {@code query} and {@code
 * matches}), or a nested {@code all_of} / {@code any_of} list.
 *
 * @param header regex matched against each {@code name: value} header line
 * @param path regex matched against the path (then path?query)
 * @param method an HTTP method, compared case-insensitively
 * @param body the body filter kind; only {@code "json"}
 * @param query JSONPath selecting values of the JSON body (with {@code body})
 * @param matches regex that one selected value must match (with {@code body})
 * @param allOf nested filters that must all match
 * @param anyOf nested filters of which one must match
 */
public record HttpInnerFilter(
    Optional<String> header,
    Optional<String> path,
    Optional<String> method,
    Optional<String> body,
    Optional<String> query,
    Optional<String> matches,
    Optional<List<HttpInnerFilter>> allOf,
    Optional<List<HttpInnerFilter>> anyOf) {
  public HttpInnerFilter {
    allOf = Immutable.list(allOf);
    anyOf = Immutable.list(anyOf);
  }

  static HttpInnerFilter defaults() {
    return new HttpInnerFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The names of the filter kinds this entry sets (valid entries set exactly one). */
  public List<String> kinds() {
    List<String> kinds = new java.util.ArrayList<>();
    header.ifPresent(v -> kinds.add("header"));
    path.ifPresent(v -> kinds.add("path"));
    method.ifPresent(v -> kinds.add("method"));
    if (body.isPresent() || query.isPresent() || matches.isPresent()) {
      kinds.add("body");
    }
    allOf.ifPresent(v -> kinds.add("all_of"));
    anyOf.ifPresent(v -> kinds.add("any_of"));
    return kinds;
  }
}
