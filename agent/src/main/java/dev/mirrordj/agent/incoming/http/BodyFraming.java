package dev.mirrordj.agent.incoming.http;

import java.util.Locale;

/**
 * Where an HTTP/1 message body ends: a tracker that is fed bytes and says how many belong to the
 * body and when it is complete. Chunked bodies are followed through chunk sizes and trailers.
 */
public abstract class BodyFraming {

  /** Consumes up to {@code len} bytes at {@code off}; returns how many belong to this body. */
  public abstract int consume(byte[] b, int off, int len);

  public abstract boolean done();

  /**
   * @param untilCloseAllowed true for responses (no length means "until close"); requests without a
   *     length have no body
   */
  static BodyFraming of(String transferEncoding, String contentLength, boolean untilCloseAllowed) {
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return new Chunked();
    }
    if (contentLength != null) {
      try {
        long n = Long.parseLong(contentLength.trim());
        if (n < 0) {
          throw new NumberFormatException();
        }
        return new Fixed(n);
      } catch (NumberFormatException e) {
        throw new HttpParseException(
            "invalid Content-Length `" + contentLength + "`; expected a non-negative integer");
      }
    }
    return untilCloseAllowed ? new UntilClose() : new Fixed(0);
  }

  public static BodyFraming none() {
    return new Fixed(0);
  }

  static final class Fixed extends BodyFraming {
    private long remaining;

    Fixed(long n) {
      remaining = n;
    }

    @Override
    public int consume(byte[] b, int off, int len) {
      int n = (int) Math.min(remaining, len);
      remaining -= n;
      return n;
    }

    @Override
    public boolean done() {
      return remaining == 0;
    }
  }

  static final class UntilClose extends BodyFraming {
    @Override
    public int consume(byte[] b, int off, int len) {
      return len;
    }

    @Override
    public boolean done() {
      return false;
    }
  }

  /** Follows chunk-size lines, chunk data with its CRLF, the last chunk and the trailer section. */
  static final class Chunked extends BodyFraming {
    private enum State {
      SIZE,
      DATA,
      DATA_END,
      TRAILER,
      DONE
    }

    private State state = State.SIZE;
    private final StringBuilder line = new StringBuilder();
    private long remaining;
    private boolean trailerLineEmpty = true;

    @Override
    public int consume(byte[] b, int off, int len) {
      int i = off;
      int end = off + len;
      while (i < end && state != State.DONE) {
        switch (state) {
          case SIZE -> {
            byte c = b[i++];
            if (c == '\n') {
              String hex = line.toString().trim();
              int semi = hex.indexOf(';');
              if (semi >= 0) {
                hex = hex.substring(0, semi).trim();
              }
              try {
                remaining = Long.parseLong(hex, 16);
              } catch (NumberFormatException e) {
                throw new HttpParseException(
                    "invalid chunk size `" + RequestHead.abbreviate(hex) + "`");
              }
              line.setLength(0);
              state = remaining == 0 ? State.TRAILER : State.DATA;
              trailerLineEmpty = true;
            } else if (line.length() < 1024) {
              line.append((char) c);
            } else {
              throw new HttpParseException("chunk size line longer than 1024 bytes");
            }
          }
          case DATA -> {
            int n = (int) Math.min(remaining, end - i);
            i += n;
            remaining -= n;
            if (remaining == 0) {
              state = State.DATA_END;
            }
          }
          case DATA_END -> {
            if (b[i++] == '\n') {
              state = State.SIZE;
            }
          }
          case TRAILER -> {
            byte c = b[i++];
            if (c == '\n') {
              if (trailerLineEmpty) {
                state = State.DONE;
              }
              trailerLineEmpty = true;
            } else if (c != '\r') {
              trailerLineEmpty = false;
            }
          }
          default -> throw new IllegalStateException();
        }
      }
      return i - off;
    }

    @Override
    public boolean done() {
      return state == State.DONE;
    }
  }
}
