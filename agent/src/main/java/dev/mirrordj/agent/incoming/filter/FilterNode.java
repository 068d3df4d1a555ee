package dev.mirrordj.agent.incoming.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mirrordj.config.jsonpath.JsonPath;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One node of a request filter tree: a header, path, method or JSON body test, or an all-of /
 * any-of combination. Nodes are immutable and shared by every connection of a subscription.
 */
public sealed interface FilterNode {

  /**
   * @param body the request body, or {@link RequestBody#UNAVAILABLE} while it is not known
   */
  boolean matches(RequestView request, RequestBody body);

  /** Whether the answer can depend on the body (then the body is buffered before deciding). */
  boolean needsBody();

  /** Regex on each {@code "lowercased-name: value"} header line; true when one line matches. */
  record Header(FilterRegex regex) implements FilterNode {
    public boolean matches(RequestView request, RequestBody body) {
      for (Map.Entry<String, String> e : request.headers()) {
        if (regex.find(e.getKey().toLowerCase(Locale.ROOT) + ": " + e.getValue())) {
          return true;
        }
      }
      return false;
    }

    public boolean needsBody() {
      return false;
    }
  }

  /** Regex on the path without the query, then on path?query. */
  record Path(FilterRegex regex) implements FilterNode {
    public boolean matches(RequestView request, RequestBody body) {
      String target = request.target();
      int q = target.indexOf('?');
      String pathOnly = q < 0 ? target : target.substring(0, q);
      return regex.find(pathOnly) || (q >= 0 && regex.find(target));
    }

    public boolean needsBody() {
      return false;
    }
  }

  /** The request method, case-insensitively. */
  record Method(String method) implements FilterNode {
    public boolean matches(RequestView request, RequestBody body) {
      return method.equalsIgnoreCase(request.method());
    }

    public boolean needsBody() {
      return false;
    }
  }

  /**
   * A JSONPath query on the JSON body; true when one selected value matches the regex. Strings are
   * matched as their text, every other value as its compact JSON. A body that is unavailable or is
   * not JSON does not match.
   */
  record JsonBody(JsonPath query, FilterRegex regex) implements FilterNode {
    public boolean matches(RequestView request, RequestBody body) {
      JsonNode json = body.json();
      if (json == null) {
        return false;
      }
      for (JsonNode value : query.select(json)) {
        if (regex.find(value.isTextual() ? value.textValue() : value.toString())) {
          return true;
        }
      }
      return false;
    }

    public boolean needsBody() {
      return true;
    }
  }

  /** Every child matches. */
  record AllOf(List<FilterNode> filters) implements FilterNode {
    public AllOf {
      filters = List.copyOf(filters);
    }

    public boolean matches(RequestView request, RequestBody body) {
      for (FilterNode f : filters) {
        if (!f.matches(request, body)) {
          return false;
        }
      }
      return true;
    }

    public boolean needsBody() {
      return filters.stream().anyMatch(FilterNode::needsBody);
    }
  }

  /** At least one child matches. */
  record AnyOf(List<FilterNode> filters) implements FilterNode {
    public AnyOf {
      filters = List.copyOf(filters);
    }

    public boolean matches(RequestView request, RequestBody body) {
      for (FilterNode f : filters) {
        if (f.matches(request, body)) {
          return true;
        }
      }
      return false;
    }

    public boolean needsBody() {
      return filters.stream().anyMatch(FilterNode::needsBody);
    }
  }
}
