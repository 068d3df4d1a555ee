package dev.mirrordj.agent.incoming.http;

import java.io.ByteArrayOutputStream;

/**
 * Decodes a complete chunked request body (as delimited by {@link BodyFraming}) into its payload,
 * for filters that look at the content; the raw bytes are what gets forwarded.
 */
public final class ChunkedDecoder {
  private ChunkedDecoder() {}

  /**
   * @throws HttpParseException when the framing is not valid chunked encoding
   */
  public static byte[] decode(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    int pos = 0;
    while (true) {
      int lineEnd = indexOf(raw, pos, (byte) '\n');
      if (lineEnd < 0) {
        throw new HttpParseException("chunk size line without end");
      }
      String line = new String(raw, pos, lineEnd - pos, java.nio.charset.StandardCharsets.US_ASCII);
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new HttpParseException("invalid chunk size `" + hex + "`");
      }
      pos = lineEnd + 1;
      if (size == 0) {
        return out.toByteArray(); // trailers, if any, are not part of the payload
      }
      if (size > raw.length - pos) {
        throw new HttpParseException("chunk longer than the body");
      }
      out.write(raw, pos, (int) size);
      pos += (int) size;
      // the CRLF (or LF) after the chunk data
      if (pos < raw.length && raw[pos] == '\r') {
        pos++;
      }
      if (pos < raw.length && raw[pos] == '\n') {
        pos++;
      }
    }
  }

  private static int indexOf(byte[] b, int from, byte v) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }
}
