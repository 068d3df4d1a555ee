package dev.mirrordj.cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a dotenv file ({@code feature.env.env_file}): {@code NAME=value} lines, optionally prefixed
 * by {@code export}; blank lines and {@code #} comments are skipped. Values may be unquoted
 * (trimmed, a {@code " #"} starts a comment), single-quoted (taken literally) or double-quoted (may
 * span lines; {@code \n}, {@code \t}, {@code \"}, {@code \\} escapes). {@code $NAME} and {@code
 * ${NAME}} in unquoted and double-quoted values are replaced by an earlier variable of the file,
 * else by this process's environment, else by nothing.
 */
final class DotenvFile {

  /** The file is missing, unreadable or malformed; the message names the file and the line. */
  static final class EnvFileException extends RuntimeException {
    EnvFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String text;
  private final Path file;
  private final Map<String, String> vars = new LinkedHashMap<>();
  private int pos;
  private int line = 1;

  private DotenvFile(Path file, String text) {
    this.file = file;
    this.text = text;
  }

  static Map<String, String> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new EnvFileException(
          "feature.env.env_file: cannot read `"
              + file
              + "` ("
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString())
              + "); expected a readable dotenv file",
          e);
    }
    DotenvFile parser = new DotenvFile(file, text);
    parser.parse();
    return parser.vars;
  }

  private void parse() {
    while (pos < text.length()) {
      skip(" \t\r");
      if (pos >= text.length()) {
        return;
      }
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        continue;
      }
      if (c == '#') {
        skipToLineEnd();
        continue;
      }
      if (text.startsWith("export ", pos) || text.startsWith("export\t", pos)) {
        pos += 7;
        skip(" \t");
      }
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos))
              || "_.-".indexOf(text.charAt(pos)) >= 0)) {
        pos++;
      }
      String name = text.substring(start, pos);
      skip(" \t");
      if (name.isEmpty() || pos >= text.length() || text.charAt(pos) != '=') {
        throw malformed("expected NAME=value");
      }
      pos++;
      skip(" \t");
      vars.put(name, value());
    }
  }

  private String value() {
    if (pos >= text.length()) {
      return "";
    }
    char c = text.charAt(pos);
    if (c == '\'') {
      int end = text.indexOf('\'', pos + 1);
      if (end < 0) {
        throw malformed("unterminated single-quoted value");
      }
      String v = text.substring(pos + 1, end);
      line += (int) v.chars().filter(ch -> ch == '\n').count();
      pos = end + 1;
      skipToLineEnd();
      return v;
    }
    if (c == '"') {
      StringBuilder out = new StringBuilder();
      pos++;
      while (pos < text.length() && text.charAt(pos) != '"') {
        char ch = text.charAt(pos++);
        if (ch == '\\' && pos < text.length()) {
          char e = text.charAt(pos++);
          switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case '$' -> out.append("\\$");
            default -> out.append(e);
          }
        } else {
          if (ch == '\n') {
            line++;
          }
          out.append(ch);
        }
      }
      if (pos >= text.length()) {
        throw malformed("unterminated double-quoted value");
      }
      pos++;
      skipToLineEnd();
      return substitute(out.toString());
    }
    int start = pos;
    while (pos < text.length() && text.charAt(pos) != '\n') {
      if (text.charAt(pos) == '#' && pos > start && Character.isWhitespace(text.charAt(pos - 1))) {
        break;
      }
      pos++;
    }
    String raw = text.substring(start, pos).strip();
    skipToLineEnd();
    return substitute(raw);
  }

  /** Replaces $NAME and ${NAME}; an escaped dollar ({@code \$}) stays a dollar. */
  private String substitute(String v) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < v.length()) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length() && v.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      if (c != '$' || i + 1 >= v.length()) {
        out.append(c);
        i++;
        continue;
      }
      String name;
      if (v.charAt(i + 1) == '{') {
        int close = v.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          i++;
          continue;
        }
        name = v.substring(i + 2, close);
        i = close + 1;
      } else {
        int end = i + 1;
        while (end < v.length()
            && (Character.isLetterOrDigit(v.charAt(end)) || v.charAt(end) == '_')) {
          end++;
        }
        if (end == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        name = v.substring(i + 1, end);
        i = end;
      }
      String found = vars.containsKey(name) ? vars.get(name) : System.getenv(name);
      out.append(found == null ? "" : found);
    }
    return out.toString();
  }

  private void skip(String chars) {
    while (pos < text.length() && chars.indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private void skipToLineEnd() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      pos++;
    }
  }

  private EnvFileException malformed(String what) {
    return new EnvFileException(
        "feature.env.env_file: `" + file + "` line " + line + ": " + what, null);
  }
}
