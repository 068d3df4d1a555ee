package dev.mirrordj.agent.incoming.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Follows one HTTP/1 response as its bytes are relayed (unchanged) to the client, to know where it
 * ends: interim 1xx responses are skipped, {@code 101} switches the connection to raw bytes, HEAD
 * requests and 204/304 have no body, otherwise chunked, Content-Length or until close.
 */
public final class ResponseTracker {

  private final boolean headRequest;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private BodyFraming body;
  private boolean complete;
  private boolean started;
  private boolean switched;
  private int status;

  public ResponseTracker(boolean headRequest) {
    this.headRequest = headRequest;
  }

  /** True once any byte of the response (an interim one included) has been consumed. */
  public boolean started() {
    return started;
  }

  /** True when the whole final response has been consumed. */
  public boolean complete() {
    return complete;
  }

  /** True when the response was {@code 101 Switching Protocols}: raw bytes follow. */
  public boolean switched() {
    return switched;
  }

  public int status() {
    return status;
  }

  /** Consumes bytes of this response; returns how many belong to it (the rest is not ours). */
  public int consume(byte[] b, int off, int len) {
    if (len > 0) {
      started = true;
    }
    int i = off;
    int end = off + len;
    while (i < end && !complete) {
      if (body == null) {
        int before = head.size();
        head.write(b, i, end - i);
        byte[] h = head.toByteArray();
        int headEnd = RequestHead.headEnd(h, h.length);
        if (headEnd < 0) {
          if (h.length > RequestHead.MAX_HEAD) {
            throw new HttpParseException(
                "response head longer than " + RequestHead.MAX_HEAD + " bytes");
          }
          return len;
        }
        i += headEnd - before;
        head.reset();
        startBody(new String(h, 0, headEnd, StandardCharsets.ISO_8859_1));
      } else {
        i += body.consume(b, i, end - i);
        if (body.done()) {
          complete = true;
        }
      }
    }
    return i - off;
  }

  private void startBody(String headText) {
    String[] lines = headText.split("\r?\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new HttpParseException(
          "malformed status line `" + RequestHead.abbreviate(lines[0]) + "`");
    }
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (NumberFormatException e) {
      throw new HttpParseException(
          "malformed status code in `" + RequestHead.abbreviate(lines[0]) + "`");
    }
    if (status == 101) {
      switched = true;
      complete = true;
      return;
    }
    if (status >= 100 && status < 200) {
      return; // interim response: the final one follows with its own head
    }
    if (headRequest || status == 204 || status == 304) {
      complete = true;
      return;
    }
    String te = null;
    String cl = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (name.equals("transfer-encoding")) {
          te = lines[i].substring(colon + 1);
        } else if (name.equals("content-length")) {
          cl = lines[i].substring(colon + 1);
        }
      }
    }
    body = BodyFraming.of(te, cl, true);
    if (body.done()) {
      complete = true;
    }
  }
}
