package dev.mirrordj.config.regex;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Rewrites fancy-regex (Rust) syntax into {@link java.util.regex} syntax with the same meaning:
 * {@code (?P<n>…)}/{@code (?P=n)} named groups, {@code \h}/{@code \H} (hex digits in fancy-regex,
 * whitespace in Java), {@code $} (end of text unless multi-line), {@code (?U)} (swap greed in Rust,
 * Unicode classes in Java), class subtraction {@code [a-z--[aeiou]]}, POSIX classes and script
 * names in {@code \p{…}}. Constructs Java cannot express ({@code \K}, conditionals, recursion,
 * symmetric class difference) are rejected with a message saying how to write the pattern instead.
 */
final class FancyRegexTranslator {
  private record Flags(boolean swapGreed, boolean multiline) {}

  private final String src;
  private final StringBuilder out = new StringBuilder();
  private final Deque<Flags> stack = new ArrayDeque<>();
  private final Map<String, String> groupNames = new HashMap<>();
  private Flags flags = new Flags(false, false);
  private int i;

  private FancyRegexTranslator(String src) {
    this.src = src;
  }

  static String translate(String pattern) throws InvalidRegexException {
    FancyRegexTranslator t = new FancyRegexTranslator(pattern);
    t.run();
    return t.out.toString();
  }

  private InvalidRegexException error(String problem) {
    return new InvalidRegexException(src, problem + " (at offset " + i + ")");
  }

  private void run() throws InvalidRegexException {
    while (i < src.length()) {
      char c = src.charAt(i);
      switch (c) {
        case '\\' -> escape(false);
        case '[' -> charClass();
        case '(' -> openGroup();
        case ')' -> {
          if (stack.isEmpty()) {
            throw error("unopened group: ')' without a matching '('");
          }
          flags = stack.pop();
          out.append(')');
          i++;
        }
        case '$' -> {
          // fancy-regex: '$' is end of text unless multi-line; Java's '$' also matches before a
          // final '\n'.
          out.append(flags.multiline ? "$" : "\\z");
          i++;
        }
        case '*', '+', '?' -> {
          out.append(c);
          i++;
          greedSuffix();
        }
        case '{' -> {
          int end = repetitionEnd(i);
          if (end < 0) {
            out.append("\\{");
            i++;
          } else {
            out.append(src, i, end);
            i = end;
            greedSuffix();
          }
        }
        default -> {
          out.append(c);
          i++;
        }
      }
    }
    if (!stack.isEmpty()) {
      throw error("unclosed group: missing ')'");
    }
  }

  /**
   * Handles the lazy/possessive marker after a quantifier, applying {@code (?U)} greed swapping.
   */
  private void greedSuffix() {
    boolean lazyMarker = i < src.length() && src.charAt(i) == '?';
    boolean possessive = i < src.length() && src.charAt(i) == '+';
    if (possessive) {
      out.append('+');
      i++;
      return;
    }
    if (lazyMarker) {
      i++;
    }
    boolean lazy = lazyMarker != flags.swapGreed;
    if (lazy) {
      out.append('?');
    }
  }

  /**
   * Returns the index after a {@code {n}}, {@code {n,}} or {@code {n,m}} repetition at {@code at},
   * or -1.
   */
  private int repetitionEnd(int at) {
    int j = at + 1;
    int digits = 0;
    while (j < src.length() && Character.isDigit(src.charAt(j))) {
      j++;
      digits++;
    }
    if (digits == 0) {
      return -1;
    }
    if (j < src.length() && src.charAt(j) == ',') {
      j++;
      while (j < src.length() && Character.isDigit(src.charAt(j))) {
        j++;
      }
    }
    return j < src.length() && src.charAt(j) == '}' ? j + 1 : -1;
  }

  private void openGroup() throws InvalidRegexException {
    if (!src.startsWith("(?", i)) {
      push(flags);
      out.append('(');
      i++;
      return;
    }
    if (src.startsWith("(?P<", i)) {
      int end = nameEnd(i + 4, '>');
      push(flags);
      out.append("(?<").append(javaGroupName(src.substring(i + 4, end))).append('>');
      i = end + 1;
    } else if (src.startsWith("(?P=", i)) {
      int end = nameEnd(i + 4, ')');
      out.append("\\k<").append(javaGroupName(src.substring(i + 4, end))).append('>');
      i = end + 1;
    } else if (src.startsWith("(?P>", i)) {
      throw error("recursive group calls (?P>name) are not supported by fancy-regex or here");
    } else if (src.startsWith("(?(", i)) {
      throw error(
          "conditionals (?(cond)yes|no) are not supported here; "
              + "rewrite with alternation and lookarounds, e.g. (?:(?=x)yes|(?!x)no)");
    } else if (src.startsWith("(?<", i)
        && i + 3 < src.length()
        && src.charAt(i + 3) != '='
        && src.charAt(i + 3) != '!') {
      int end = nameEnd(i + 3, '>');
      push(flags);
      out.append("(?<").append(javaGroupName(src.substring(i + 3, end))).append('>');
      i = end + 1;
    } else if (startsWithAny("(?:", "(?=", "(?!", "(?>")) {
      push(flags);
      out.append(src, i, i + 3);
      i += 3;
    } else if (startsWithAny("(?<=", "(?<!")) {
      push(flags);
      out.append(src, i, i + 4);
      i += 4;
    } else {
      flagGroup();
    }
  }

  private boolean startsWithAny(String... prefixes) {
    for (String p : prefixes) {
      if (src.startsWith(p, i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code (?flags)} or {@code (?flags:…)}: tracks U and m, drops U (it means something else in
   * Java).
   */
  private void flagGroup() throws InvalidRegexException {
    int j = i + 2;
    StringBuilder kept = new StringBuilder();
    boolean negate = false;
    boolean swap = flags.swapGreed;
    boolean multi = flags.multiline;
    while (j < src.length() && src.charAt(j) != ')' && src.charAt(j) != ':') {
      char f = src.charAt(j);
      switch (f) {
        case '-' -> {
          negate = true;
          kept.append(f);
        }
        case 'U' -> swap = !negate;
        case 'm' -> {
          multi = !negate;
          kept.append(f);
        }
        case 'i', 's', 'x' -> kept.append(f);
        case 'u' -> {
          if (negate) {
            throw error("(?-u) is rejected by fancy-regex: Unicode mode cannot be turned off");
          }
        }
        default ->
            throw error("unknown group flag '" + f + "'; accepted flags are i, m, s, x, U, u");
      }
      j++;
    }
    if (j >= src.length()) {
      throw error("unclosed group: missing ')'");
    }
    String javaFlags =
        kept.toString().endsWith("-") ? kept.substring(0, kept.length() - 1) : kept.toString();
    Flags updated = new Flags(swap, multi);
    if (src.charAt(j) == ')') {
      flags = updated; // applies to the rest of the enclosing group
      if (!javaFlags.isEmpty()) {
        out.append("(?").append(javaFlags).append(')');
      }
    } else {
      push(flags);
      flags = updated;
      out.append("(?").append(javaFlags).append(':');
    }
    i = j + 1;
  }

  private void push(Flags f) {
    stack.push(f);
  }

  private int nameEnd(int from, char terminator) throws InvalidRegexException {
    int end = src.indexOf(terminator, from);
    if (end < 0 || end == from) {
      throw error("malformed group name: expected a name followed by '" + terminator + "'");
    }
    return end;
  }

  /**
   * Java group names are ASCII letters then letters/digits; map others (e.g. with '_')
   * consistently.
   */
  private String javaGroupName(String name) throws InvalidRegexException {
    if (name.startsWith("-") || Character.isDigit(name.charAt(0))) {
      throw error(
          "numbered/relative group references like \\k<"
              + name
              + "> are not supported; use \\1 or a named group");
    }
    if (name.matches("[A-Za-z][A-Za-z0-9]*")) {
      return name;
    }
    return groupNames.computeIfAbsent(
        name, n -> "fancy" + groupNames.size() + "x" + n.replaceAll("[^A-Za-z0-9]", ""));
  }

  private void escape(boolean inClass) throws InvalidRegexException {
    if (i + 1 >= src.length()) {
      throw error("trailing backslash: escape a literal backslash as \\\\");
    }
    char e = src.charAt(i + 1);
    switch (e) {
      case 'h' -> {
        out.append(inClass ? "0-9A-Fa-f" : "[0-9A-Fa-f]");
        i += 2;
      }
      case 'H' -> {
        if (inClass) {
          throw error(
              "\\H inside a character class is not supported; use [^0-9A-Fa-f] outside a class");
        }
        out.append("[^0-9A-Fa-f]");
        i += 2;
      }
      case 'K' ->
          throw error(
              "\\K (reset match start) is not supported; use a lookbehind (?<=...) instead");
      case 'p', 'P' -> property(e);
      case 'k' -> {
        if (i + 2 >= src.length() || src.charAt(i + 2) != '<') {
          throw error("\\k must be followed by <name>");
        }
        int end = nameEnd(i + 3, '>');
        out.append("\\k<").append(javaGroupName(src.substring(i + 3, end))).append('>');
        i = end + 1;
      }
      case 'u', 'x' -> {
        if (i + 2 < src.length() && src.charAt(i + 2) == '{') {
          int end = src.indexOf('}', i + 3);
          if (end < 0) {
            throw error("unclosed \\" + e + "{...} escape");
          }
          out.append("\\x{").append(src, i + 3, end).append('}');
          i = end + 1;
        } else {
          out.append('\\').append(e);
          i += 2;
        }
      }
      case 'U' -> {
        if (i + 10 > src.length()) {
          throw error("\\U needs exactly 8 hex digits");
        }
        out.append("\\x{").append(src, i + 2, i + 10).append('}');
        i += 10;
      }
      default -> {
        out.append('\\').append(e);
        i += 2;
      }
    }
  }

  /**
   * {@code \p{Greek}} is a script in Rust; Java needs {@code \p{IsGreek}}. Categories stay as they
   * are.
   */
  private void property(char kind) throws InvalidRegexException {
    if (i + 2 >= src.length()) {
      throw error("\\" + kind + " needs a property name");
    }
    if (src.charAt(i + 2) != '{') {
      out.append('\\').append(kind).append(src.charAt(i + 2));
      i += 3;
      return;
    }
    int end = src.indexOf('}', i + 3);
    if (end < 0) {
      throw error("unclosed \\" + kind + "{...}");
    }
    String name = src.substring(i + 3, end).replace(" ", "");
    boolean negate = name.startsWith("^");
    if (negate) {
      name = name.substring(1);
    }
    String java =
        name.length() <= 2 || name.contains("=") || name.startsWith("Is") || name.startsWith("In")
            ? name
            : "Is" + name;
    out.append('\\')
        .append(negate == (kind == 'p') ? 'P' : 'p')
        .append('{')
        .append(java)
        .append('}');
    i = end + 1;
  }

  private void charClass() throws InvalidRegexException {
    out.append('[');
    i++;
    if (i < src.length() && src.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    if (i < src.length() && src.charAt(i) == ']') {
      out.append("\\]");
      i++;
    }
    boolean subtracting = false;
    while (true) {
      if (i >= src.length()) {
        throw error("unclosed character class: missing ']'");
      }
      char c = src.charAt(i);
      if (c == ']') {
        out.append(subtracting ? "]]" : "]");
        i++;
        return;
      } else if (c == '\\') {
        escape(true);
      } else if (src.startsWith("[:", i)) {
        posixClass();
      } else if (c == '[') {
        charClass();
      } else if (src.startsWith("--", i)) {
        out.append(subtracting ? "]&&[^" : "&&[^");
        subtracting = true;
        i += 2;
      } else if (src.startsWith("~~", i)) {
        throw error(
            "symmetric class difference '~~' is not supported; write it as [[a&&[^b]][b&&[^a]]]");
      } else {
        out.append(c);
        i++;
      }
    }
  }

  private static final Map<String, String> POSIX =
      Map.ofEntries(
          Map.entry("alnum", "Alnum"),
          Map.entry("alpha", "Alpha"),
          Map.entry("ascii", "ASCII"),
          Map.entry("blank", "Blank"),
          Map.entry("cntrl", "Cntrl"),
          Map.entry("digit", "Digit"),
          Map.entry("graph", "Graph"),
          Map.entry("lower", "Lower"),
          Map.entry("print", "Print"),
          Map.entry("punct", "Punct"),
          Map.entry("space", "Space"),
          Map.entry("upper", "Upper"),
          Map.entry("word", "Alnum"),
          Map.entry("xdigit", "XDigit"));

  private void posixClass() throws InvalidRegexException {
    int end = src.indexOf(":]", i + 2);
    if (end < 0) {
      out.append("\\[");
      i++;
      return;
    }
    String name = src.substring(i + 2, end);
    boolean negate = name.startsWith("^");
    String key = negate ? name.substring(1) : name;
    String java = POSIX.get(key);
    if (java == null) {
      throw error(
          "unknown POSIX class [:" + name + ":]; accepted: " + String.join(", ", POSIX.keySet()));
    }
    if (key.equals("word")) {
      out.append(negate ? "\\W" : "\\w");
    } else {
      out.append(negate ? "\\P{" : "\\p{").append(java).append('}');
    }
    i = end + 2;
  }
}
