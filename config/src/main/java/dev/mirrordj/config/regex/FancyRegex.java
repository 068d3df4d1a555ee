package dev.mirrordj.config.regex;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regex that behaves like mirrord's {@code fancy_regex::Regex::new("(?i)" + pattern)} used with
 * {@code is_match}: case-insensitive (Unicode), unanchored search, fancy-regex syntax. The pattern
 * is translated to {@link java.util.regex} syntax by {@link FancyRegexTranslator}; matching runs
 * with a step budget so that a catastrophically backtracking pattern yields "no match" (as
 * fancy-regex's backtrack limit does in mirrord) instead of hanging the caller.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FancyRegex {
  /** Roughly fancy-regex's default backtrack limit, counted here as character reads. */
  public static final long DEFAULT_STEP_BUDGET = 1_000_000L;

  private static final int FLAGS =
      Pattern.CASE_INSENSITIVE
          | Pattern.UNICODE_CASE
          | Pattern.UNICODE_CHARACTER_CLASS
          | Pattern.UNIX_LINES;

  private final String source;
  private final Pattern pattern;
  private final long stepBudget;

  private FancyRegex(String source, Pattern pattern, long stepBudget) {
    this.source = source;
    this.pattern = pattern;
    this.stepBudget = stepBudget;
  }

  /** Compiles a fancy-regex pattern with the default step budget. */
  public static FancyRegex compile(String pattern) throws InvalidRegexException {
    return compile(pattern, DEFAULT_STEP_BUDGET);
  }

  /** Compiles a fancy-regex pattern; {@code stepBudget} bounds the work of one {@link #find}. */
  public static FancyRegex compile(String pattern, long stepBudget) throws InvalidRegexException {
    if (pattern == null) {
      throw new InvalidRegexException("null", "a pattern is required");
    }
    String translated = FancyRegexTranslator.translate(pattern);
    try {
      return new FancyRegex(pattern, Pattern.compile(translated, FLAGS), stepBudget);
    } catch (PatternSyntaxException e) {
      throw new InvalidRegexException(
          pattern,
          e.getDescription()
              + " near index "
              + e.getIndex()
              + " (write the pattern in fancy-regex syntax, https://docs.rs/fancy-regex)");
    }
  }

  /**
   * Whether the pattern matches anywhere in {@code input}. A match that exceeds the step budget (or
   * recurses too deeply) counts as no match, exactly as mirrord treats a fancy-regex runtime error.
   */
  public boolean find(CharSequence input) {
    BudgetedCharSequence counted = new BudgetedCharSequence(input, stepBudget);
    try {
      Matcher m = pattern.matcher(counted);
      return m.find();
    } catch (BudgetedCharSequence.BudgetExceeded | StackOverflowError e) {
      return false;
    }
  }

  /**
   * Replaces the first match in {@code input} with {@code template}, where {@code $1}, {@code
   * $name}, {@code ${name}} and {@code ${1}} stand for groups (the longest run of letters, digits
   * and {@code _} after a bare {@code $}; a group that does not exist or did not take part is
   * empty) and {@code $$} is a dollar sign. Returns {@code input} unchanged without a match.
   */
  public String replaceFirst(String input, String template) {
    if (!find(input)) {
      return input;
    }
    Matcher m = pattern.matcher(input);
    if (!m.find()) {
      return input;
    }
    return input.substring(0, m.start()) + expand(m, template) + input.substring(m.end());
  }

  private static String expand(Matcher m, String template) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      String ref;
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      } else if (next == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          i++;
          continue;
        }
        ref = template.substring(i + 2, close);
        i = close + 1;
      } else {
        int end = i + 1;
        while (end < template.length()
            && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
          end++;
        }
        if (end == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        ref = template.substring(i + 1, end);
        i = end;
      }
      out.append(group(m, ref));
    }
    return out.toString();
  }

  private static String group(Matcher m, String ref) {
    try {
      String g =
          ref.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(ref)) : m.group(ref);
      return g == null ? "" : g;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return "";
    }
  }

  /** The pattern as the user wrote it (fancy-regex syntax). */
  public String source() {
    return source;
  }

  /** The translated {@link java.util.regex} pattern, for diagnostics. */
  public String javaPattern() {
    return pattern.pattern();
  }

  @Override
  public String toString() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FancyRegex other && other.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }
}
