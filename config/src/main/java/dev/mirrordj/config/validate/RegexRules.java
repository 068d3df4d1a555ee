package dev.mirrordj.config.validate;

import dev.mirrordj.config.Problems;
import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.config.regex.InvalidRegexException;
import java.util.List;
import java.util.Optional;

/**
 * Compiles configured patterns with {@link FancyRegex}, the matcher the agent and proxy use, so a
 * pattern that passes validation also works at run time.
 */
final class RegexRules {
  private final Problems problems;

  RegexRules(Problems problems) {
    this.problems = problems;
  }

  void all(String path, List<String> patterns) {
    for (int i = 0; i < patterns.size(); i++) {
      one(path + "[" + i + "]", Optional.of(patterns.get(i)));
    }
  }

  void one(String path, Optional<String> pattern) {
    if (pattern.isEmpty()) {
      return;
    }
    try {
      FancyRegex.compile(pattern.get());
    } catch (InvalidRegexException e) {
      problems.error(path, pattern.get(), e.getMessage());
    }
  }
}
