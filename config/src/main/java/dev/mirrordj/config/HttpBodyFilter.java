package dev.mirrordj.config;

import dev.mirrordj.config.bind.OneOf;

/**
 * {@code http_filter.body_filter}: matches a request whose body, parsed as JSON, has at least one
 * value selected by {@code query} (a JSONPath expression) whose text matches {@code matches}
 * (fancy-regex; numbers, booleans, null, arrays and objects are compared as their JSON text).
 *
 * @param body the body kind; only {@code "json"}
 * @param query JSONPath expression, e.g. {@code $.user.name} or {@code $.items[*].id}
 * @param matches regex for a selected value
 */
public record HttpBodyFilter(@OneOf({"json"}) String body, String query, String matches) {

  static HttpBodyFilter defaults() {
    return new HttpBodyFilter("json", "", "");
  }
}
