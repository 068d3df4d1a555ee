package dev.mirrordj.verticles.proxy;

import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.config.regex.InvalidRegexException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code feature.fs.mapping}: rewrites a requested path before the file policy sees it. The first
 * pattern (in configuration order) that matches replaces its first match with the template (capture
 * groups as {@code $1} / {@code ${name}}); later patterns are not tried.
 */
final class PathMapping {
  private record Rule(FancyRegex pattern, String replacement) {}

  private final List<Rule> rules = new ArrayList<>();

  PathMapping(Map<String, String> mapping) {
    for (Map.Entry<String, String> e : mapping.entrySet()) {
      try {
        rules.add(new Rule(FancyRegex.compile(e.getKey()), e.getValue()));
      } catch (InvalidRegexException ex) {
        // validation reports this with its path before a session starts
        throw new IllegalArgumentException(
            "feature.fs.mapping." + e.getKey() + ": " + ex.getMessage(), ex);
      }
    }
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  String apply(String path) {
    for (Rule r : rules) {
      if (r.pattern().find(path)) {
        return r.pattern().replaceFirst(path, r.replacement());
      }
    }
    return path;
  }
}
