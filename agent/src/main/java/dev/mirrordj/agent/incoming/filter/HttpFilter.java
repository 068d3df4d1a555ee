package dev.mirrordj.agent.incoming.filter;

import java.util.List;
import java.util.Map;

/**
 * A steal subscription's request filter: a header regex (matched against each {@code
 * "lowercased-name: value"}) and/or a path regex (matched against the path, then {@code
 * path?query}). With both set, {@code all} decides whether both or either must match.
 */
public record HttpFilter(FilterRegex header, FilterRegex path, boolean all) {

  public static HttpFilter header(FilterRegex regex) {
    return new HttpFilter(regex, null, true);
  }

  public static HttpFilter path(FilterRegex regex) {
    return new HttpFilter(null, regex, true);
  }

  public boolean matches(String target, List<Map.Entry<String, String>> headers) {
    Boolean h = header == null ? null : headerMatches(headers);
    Boolean p = path == null ? null : pathMatches(target);
    if (h == null) {
      return p != null && p;
    }
    if (p == null) {
      return h;
    }
    return all ? h && p : h || p;
  }

  private boolean headerMatches(List<Map.Entry<String, String>> headers) {
    for (Map.Entry<String, String> e : headers) {
      if (header.find(e.getKey().toLowerCase(java.util.Locale.ROOT) + ": " + e.getValue())) {
        return true;
      }
    }
    return false;
  }

  private boolean pathMatches(String target) {
    int q = target.indexOf('?');
    String pathOnly = q < 0 ? target : target.substring(0, q);
    return path.find(pathOnly) || (q >= 0 && path.find(target));
  }
}
