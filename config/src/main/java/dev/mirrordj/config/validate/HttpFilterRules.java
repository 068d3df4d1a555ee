package dev.mirrordj.config.validate;

import dev.mirrordj.config.HttpBodyFilter;
import dev.mirrordj.config.HttpFilterConfig;
import dev.mirrordj.config.HttpInnerFilter;
import dev.mirrordj.config.Problems;
import dev.mirrordj.config.jsonpath.InvalidJsonPathException;
import dev.mirrordj.config.jsonpath.JsonPath;
import java.util.List;
import java.util.Optional;

/**
 * The rules of {@code http_filter}: one filter kind per level, non-empty values and lists, regexes
 * and JSONPath queries that compile, methods that are HTTP tokens.
 */
final class HttpFilterRules {
  /** RFC 9110 token characters, the only ones a request method may have. */
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  private final Problems problems;
  private final RegexRules regexes;

  HttpFilterRules(Problems problems, RegexRules regexes) {
    this.problems = problems;
    this.regexes = regexes;
  }

  void check(String p, HttpFilterConfig http) {
    List<String> kinds = http.kinds();
    if (kinds.size() > 1) {
      problems.error(
          p,
          String.join(" and ", kinds),
          "Cannot use multiple types of HTTP filter at the same time; set only one of "
              + String.join(", ", kinds)
              + " (combine several with all_of or any_of)");
    }
    regex(p + ".header_filter", http.headerFilter());
    regex(p + ".path_filter", http.pathFilter());
    method(p + ".method_filter", http.methodFilter());
    http.bodyFilter().ifPresent(b -> body(p + ".body_filter", b));
    http.allOf().ifPresent(list -> composite(p + ".all_of", list));
    http.anyOf().ifPresent(list -> composite(p + ".any_of", list));
  }

  private void composite(String path, List<HttpInnerFilter> filters) {
    if (filters.isEmpty()) {
      problems.error(path, "[]", "a composite HTTP filter needs at least one filter");
    }
    for (int i = 0; i < filters.size(); i++) {
      inner(path + "[" + i + "]", filters.get(i));
    }
  }

  private void inner(String path, HttpInnerFilter f) {
    List<String> kinds = f.kinds();
    if (kinds.size() != 1) {
      problems.error(
          path,
          kinds.isEmpty() ? "{}" : String.join(" and ", kinds),
          "each entry sets exactly one of header, path, method, body (with query and matches), "
              + "all_of, any_of");
      return;
    }
    regex(path + ".header", f.header());
    regex(path + ".path", f.path());
    method(path + ".method", f.method());
    if (kinds.get(0).equals("body")) {
      if (f.body().isEmpty()) {
        problems.error(path + ".body", (String) null, "a body filter needs \"body\": \"json\"");
      } else {
        body(
            path, new HttpBodyFilter(f.body().get(), f.query().orElse(""), f.matches().orElse("")));
      }
    }
    f.allOf().ifPresent(list -> composite(path + ".all_of", list));
    f.anyOf().ifPresent(list -> composite(path + ".any_of", list));
  }

  private void body(String path, HttpBodyFilter b) {
    if (!b.body().equals("json")) {
      problems.error(path + ".body", b.body(), "expected \"json\"");
    }
    if (b.query().isEmpty()) {
      problems.error(path + ".query", "\"\"", "a JSONPath query such as $.user.id is required");
    } else {
      try {
        JsonPath.compile(b.query());
      } catch (InvalidJsonPathException e) {
        problems.error(path + ".query", b.query(), "not a valid JSONPath query " + e.getMessage());
      }
    }
    if (b.matches().isEmpty()) {
      problems.error(path + ".matches", "\"\"", "a regex for the selected value is required");
    }
    regexes.one(path + ".matches", Optional.of(b.matches()).filter(s -> !s.isEmpty()));
  }

  private void regex(String path, Optional<String> pattern) {
    if (pattern.filter(String::isEmpty).isPresent()) {
      problems.error(path, "\"\"", "an HTTP filter must not be empty");
      return;
    }
    regexes.one(path, pattern);
  }

  private void method(String path, Optional<String> method) {
    if (method.isEmpty()) {
      return;
    }
    String m = method.get();
    boolean token = !m.isEmpty();
    for (char c : m.toCharArray()) {
      token &= c < 0x80 && (Character.isLetterOrDigit(c) || TOKEN_CHARS.indexOf(c) >= 0);
    }
    if (!token) {
      problems.error(
          path,
          m,
          "expected an HTTP method such as GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS "
              + "(letters, digits and !#$%&'*+-.^_`|~ only)");
    }
  }
}
