package dev.mirrordj.config.regex;

/**
 * A pattern that fancy-regex (mirrord's matcher) would reject, or that we cannot reproduce
 * faithfully on the JVM. The message names the pattern, what is wrong, and how to write it instead.
 */
public final class InvalidRegexException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String pattern;

  public InvalidRegexException(String pattern, String problem) {
    super("invalid regex '" + pattern + "': " + problem);
    this.pattern = pattern;
  }

  /** The pattern as the user wrote it. */
  public String pattern() {
    return pattern;
  }
}
