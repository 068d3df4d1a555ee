package dev.mirrordj.agent.incoming.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed HTTP/1.x request head. The raw bytes are kept so that forwarding is byte-exact.
 *
 * @param raw the head exactly as received, including the final empty line
 * @param method request method
 * @param target request target (path and query)
 * @param headers header fields in order, names as sent
 */
public record RequestHead(
    byte[] raw,
    String method,
    String target,
    String version,
    List<Map.Entry<String, String>> headers) {

  /** Longest head accepted; longer is answered with 431 and the connection closed. */
  public static final int MAX_HEAD = 64 * 1024;

  /**
   * Parses the head in {@code bytes[0..end)} where {@code end} is just past the blank line.
   *
   * @throws HttpParseException naming what is malformed
   */
  public static RequestHead parse(byte[] bytes, int end) {
    String text = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      throw new HttpParseException(
          "malformed request line `"
              + abbreviate(lines[0])
              + "`; expected `METHOD target HTTP/1.x`");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        break;
      }
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new HttpParseException(
            "malformed header line `" + abbreviate(lines[i]) + "`; expected `Name: value`");
      }
      headers.add(
          Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
    }
    byte[] raw = java.util.Arrays.copyOf(bytes, end);
    return new RequestHead(
        raw, requestLine[0], requestLine[1], requestLine[2], List.copyOf(headers));
  }

  /** First value of a header, case-insensitive name; null when absent. */
  public String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  /** How the request body is delimited (RFC 9112 §6.3 for requests: chunked, length, or none). */
  public BodyFraming bodyFraming() {
    return BodyFraming.of(header("transfer-encoding"), header("content-length"), false);
  }

  /** True if the request asks to switch protocols (e.g. WebSocket). */
  public boolean isUpgrade() {
    String connection = header("connection");
    return header("upgrade") != null
        && connection != null
        && connection.toLowerCase(Locale.ROOT).contains("upgrade");
  }

  static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  /** Finds the end of a head (index just past CRLFCRLF or LFLF) in {@code b[0..len)}, or -1. */
  public static int headEnd(byte[] b, int len) {
    for (int i = 0; i + 1 < len; i++) {
      if (b[i] == '\n') {
        if (b[i + 1] == '\n') {
          return i + 2;
        }
        if (b[i + 1] == '\r' && i + 2 < len && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }
}
