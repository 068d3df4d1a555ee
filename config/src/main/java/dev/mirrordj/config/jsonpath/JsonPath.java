package dev.mirrordj.config.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A compiled JSONPath query (RFC 9535 syntax without filter selectors): the root {@code $}, child
 * segments ({@code .name}, {@code .*}, {@code [...]}) and descendant segments ({@code ..name},
 * {@code ..*}, {@code ..[...]}), where a bracket holds one or more comma-separated selectors: a
 * quoted name, {@code *}, an index (negative counts from the end) or a slice {@code
 * start:end:step}. Used by the HTTP body filter; validation and the agent compile with this same
 * class.
 */
public final class JsonPath {

  private sealed interface Selector permits Name, Wildcard, Index, Slice {}

  private record Name(String name) implements Selector {}

  private record Wildcard() implements Selector {}

  private record Index(long index) implements Selector {}

  private record Slice(Long start, Long end, long step) implements Selector {}

  private record Segment(boolean descendant, List<Selector> selectors) {}

  private final String source;
  private final List<Segment> segments;

  private JsonPath(String source, List<Segment> segments) {
    this.source = source;
    this.segments = segments;
  }

  /**
   * @throws InvalidJsonPathException naming the offset and what was expected there
   */
  public static JsonPath compile(String query) throws InvalidJsonPathException {
    return new Parser(query).parse();
  }

  public String source() {
    return source;
  }

  /** The nodes the query selects, in document order of the query's steps. */
  public List<JsonNode> select(JsonNode root) {
    List<JsonNode> current = List.of(root);
    for (Segment segment : segments) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        if (segment.descendant()) {
          for (JsonNode d : descendantsAndSelf(node)) {
            apply(segment.selectors(), d, next);
          }
        } else {
          apply(segment.selectors(), node, next);
        }
      }
      current = next;
    }
    return current;
  }

  private static List<JsonNode> descendantsAndSelf(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    List<JsonNode> stack = new ArrayList<>();
    stack.add(node);
    while (!stack.isEmpty()) {
      JsonNode n = stack.remove(stack.size() - 1);
      out.add(n);
      List<JsonNode> children = new ArrayList<>();
      n.elements().forEachRemaining(children::add);
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.add(children.get(i));
      }
    }
    return out;
  }

  private static void apply(List<Selector> selectors, JsonNode node, List<JsonNode> out) {
    for (Selector s : selectors) {
      if (s instanceof Name n) {
        if (node.isObject() && node.has(n.name())) {
          out.add(node.get(n.name()));
        }
      } else if (s instanceof Wildcard) {
        if (node.isObject() || node.isArray()) {
          for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            out.add(it.next());
          }
        }
      } else if (s instanceof Index i) {
        if (node.isArray()) {
          long at = i.index() < 0 ? node.size() + i.index() : i.index();
          if (at >= 0 && at < node.size()) {
            out.add(node.get((int) at));
          }
        }
      } else if (s instanceof Slice sl) {
        slice(sl, node, out);
      }
    }
  }

  private static void slice(Slice s, JsonNode node, List<JsonNode> out) {
    if (!node.isArray() || s.step() == 0) {
      return;
    }
    long len = node.size();
    long step = s.step();
    long start = s.start() != null ? s.start() : (step > 0 ? 0 : len - 1);
    long end = s.end() != null ? s.end() : (step > 0 ? len : -len - 1);
    start = start < 0 ? start + len : start;
    end = end < 0 ? end + len : end;
    if (step > 0) {
      for (long i = Math.max(0, start); i < Math.min(len, end); i += step) {
        out.add(node.get((int) i));
      }
    } else {
      for (long i = Math.min(len - 1, start); i > Math.max(-1, end); i += step) {
        out.add(node.get((int) i));
      }
    }
  }

  /** Recursive-descent parser over the query text. */
  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    JsonPath parse() throws InvalidJsonPathException {
      skipBlanks();
      if (pos >= text.length() || text.charAt(pos) != '$') {
        throw error("a JSONPath query starts with `$`");
      }
      pos++;
      List<Segment> segments = new ArrayList<>();
      while (true) {
        skipBlanks();
        if (pos >= text.length()) {
          break;
        }
        if (text.startsWith("..", pos)) {
          pos += 2;
          segments.add(new Segment(true, afterDot(true)));
        } else if (text.charAt(pos) == '.') {
          pos++;
          segments.add(new Segment(false, afterDot(false)));
        } else if (text.charAt(pos) == '[') {
          segments.add(new Segment(false, bracket()));
        } else {
          throw error("expected `.`, `..` or `[`");
        }
      }
      return new JsonPath(text, List.copyOf(segments));
    }

    private List<Selector> afterDot(boolean descendant) throws InvalidJsonPathException {
      if (pos < text.length() && text.charAt(pos) == '*') {
        pos++;
        return List.of(new Wildcard());
      }
      if (descendant && pos < text.length() && text.charAt(pos) == '[') {
        return bracket();
      }
      int start = pos;
      while (pos < text.length() && isNameChar(text.charAt(pos), pos == start)) {
        pos++;
      }
      if (pos == start) {
        throw error("expected a member name or `*`");
      }
      return List.of(new Name(text.substring(start, pos)));
    }

    private static boolean isNameChar(char c, boolean first) {
      return Character.isLetter(c) || c == '_' || c >= 0x80 || (!first && Character.isDigit(c));
    }

    private List<Selector> bracket() throws InvalidJsonPathException {
      pos++; // '['
      List<Selector> selectors = new ArrayList<>();
      while (true) {
        skipBlanks();
        selectors.add(selector());
        skipBlanks();
        if (pos >= text.length()) {
          throw error("unclosed `[`");
        }
        char c = text.charAt(pos++);
        if (c == ']') {
          return List.copyOf(selectors);
        }
        if (c != ',') {
          pos--;
          throw error("expected `,` or `]`");
        }
      }
    }

    private Selector selector() throws InvalidJsonPathException {
      if (pos >= text.length()) {
        throw error("expected a selector");
      }
      char c = text.charAt(pos);
      if (c == '\'' || c == '"') {
        return new Name(quoted(c));
      }
      if (c == '*') {
        pos++;
        return new Wildcard();
      }
      if (c == '?') {
        throw error("filter selectors (`?...`) are not supported");
      }
      Long first = optionalInteger();
      skipBlanks();
      if (pos < text.length() && text.charAt(pos) == ':') {
        pos++;
        skipBlanks();
        Long end = optionalInteger();
        skipBlanks();
        long step = 1;
        if (pos < text.length() && text.charAt(pos) == ':') {
          pos++;
          skipBlanks();
          Long st = optionalInteger();
          step = st == null ? 1 : st;
        }
        return new Slice(first, end, step);
      }
      if (first == null) {
        throw error("expected a quoted name, `*`, an index or a slice");
      }
      return new Index(first);
    }

    private Long optionalInteger() throws InvalidJsonPathException {
      int start = pos;
      if (pos < text.length() && text.charAt(pos) == '-') {
        pos++;
      }
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        return null;
      }
      try {
        return Long.parseLong(text.substring(start, pos));
      } catch (NumberFormatException e) {
        pos = start;
        throw error("not an integer");
      }
    }

    private String quoted(char quote) throws InvalidJsonPathException {
      pos++;
      StringBuilder out = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == quote) {
          return out.toString();
        }
        if (c == '\\' && pos < text.length()) {
          char e = text.charAt(pos++);
          switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> {
              if (pos + 4 > text.length()) {
                throw error("incomplete \\u escape");
              }
              try {
                out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("bad \\u escape");
              }
              pos += 4;
            }
            default -> out.append(e);
          }
        } else {
          out.append(c);
        }
      }
      throw error("unterminated quoted name");
    }

    private void skipBlanks() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private InvalidJsonPathException error(String what) {
      return new InvalidJsonPathException("at offset " + pos + ": " + what);
    }
  }
}
