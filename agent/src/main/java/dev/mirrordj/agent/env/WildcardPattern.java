package dev.mirrordj.agent.env;

import java.util.List;

/**
 * {@code *} (any run, also empty) and {@code ?} (exactly one character) matching of a whole name,
 * case-sensitive, as mirrord's env include/exclude lists use it. Iterative with backtracking to the
 * last star, so it runs in O(n*m) at worst. (To be replaced by dev.mirrordj.config.EnvFilter once
 * that lands on main.)
 */
public final class WildcardPattern {
  private WildcardPattern() {}

  public static boolean anyMatches(List<String> patterns, String name) {
    for (String p : patterns) {
      if (matches(p, name)) {
        return true;
      }
    }
    return false;
  }

  public static boolean matches(String pattern, String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int mark = 0;
    while (n < name.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
        p++;
        n++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
