package dev.mirrordj.agent.incoming.steal;

import java.nio.charset.StandardCharsets;

/**
 * Decides from a connection's first bytes whether it speaks HTTP/1.x, HTTP/2 with prior knowledge
 * (h2c preface), or something else (raw TCP, passed through untouched).
 */
public final class ProtocolDetector {

  /** What the first bytes say. */
  public enum Protocol {
    HTTP1,
    H2C,
    RAW,
    UNDECIDED
  }

  static final byte[] H2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"
  };

  private ProtocolDetector() {}

  public static Protocol detect(byte[] b, int len) {
    if (len == 0) {
      return Protocol.UNDECIDED;
    }
    if (prefixOf(H2_PREFACE, b, len)) {
      return len >= H2_PREFACE.length ? Protocol.H2C : Protocol.UNDECIDED;
    }
    boolean couldBeMethod = false;
    for (String m : METHODS) {
      byte[] word = (m + " ").getBytes(StandardCharsets.ISO_8859_1);
      if (prefixOf(word, b, len)) {
        if (len >= word.length) {
          return Protocol.HTTP1;
        }
        couldBeMethod = true;
      }
    }
    return couldBeMethod ? Protocol.UNDECIDED : Protocol.RAW;
  }

  /** True if the first min(len, expected.length) bytes agree with {@code expected}. */
  private static boolean prefixOf(byte[] expected, byte[] b, int len) {
    int n = Math.min(len, expected.length);
    for (int i = 0; i < n; i++) {
      if (b[i] != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
