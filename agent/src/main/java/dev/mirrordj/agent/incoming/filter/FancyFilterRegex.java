package dev.mirrordj.agent.incoming.filter;

import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.config.regex.InvalidRegexException;

/**
 * {@link FilterRegex} backed by the project's fancy-regex-compatible matcher (syntax translation,
 * Unicode case-insensitivity, search semantics, a step budget standing in for the backtrack limit).
 */
public final class FancyFilterRegex implements FilterRegex {

  private final FancyRegex regex;

  private FancyFilterRegex(FancyRegex regex) {
    this.regex = regex;
  }

  /**
   * @throws IllegalArgumentException naming the pattern and what is wrong with it
   */
  public static FancyFilterRegex compile(String pattern) {
    try {
      return new FancyFilterRegex(FancyRegex.compile(pattern));
    } catch (InvalidRegexException e) {
      throw new IllegalArgumentException(
          "invalid HTTP filter regex `" + pattern + "`: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean find(CharSequence input) {
    return regex.find(input);
  }

  @Override
  public String source() {
    return regex.source();
  }
}
