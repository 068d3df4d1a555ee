package dev.mirrordj.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads protocol primitives from a frame body with bounds checks: every read past the end, every
 * negative length and every bad boolean or UTF-8 string throws {@link ProtocolException}.
 */
public final class WireReader {
  private final Buffer in;
  private int pos;

  public WireReader(Buffer in) {
    this.in = in;
  }

  private void need(int n, String what) {
    if (n < 0 || in.length() - pos < n) {
      throw new ProtocolException(
          "truncated body: "
              + what
              + " needs "
              + n
              + " bytes at offset "
              + pos
              + ", only "
              + (in.length() - pos)
              + " left");
    }
  }

  public int u8() {
    need(1, "u8");
    return in.getUnsignedByte(pos++);
  }

  public int u16() {
    need(2, "u16");
    int v = in.getUnsignedShort(pos);
    pos += 2;
    return v;
  }

  public int i32() {
    need(4, "i32");
    int v = in.getInt(pos);
    pos += 4;
    return v;
  }

  public long i64() {
    need(8, "i64");
    long v = in.getLong(pos);
    pos += 8;
    return v;
  }

  public boolean bool() {
    int v = u8();
    if (v > 1) {
      throw new ProtocolException("boolean must be 0 or 1, got " + v);
    }
    return v == 1;
  }

  public Buffer bytes() {
    int n = i32();
    need(n, "byte string of length " + Integer.toUnsignedString(n));
    Buffer b = in.slice(pos, pos + n);
    pos += n;
    return b;
  }

  public String string() {
    Buffer b = bytes();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException("string is not valid UTF-8");
    }
  }

  /**
   * A counted list; the count is checked against the bytes left (each item takes at least 1 byte).
   */
  public <T> List<T> list(Function<WireReader, T> item) {
    int n = i32();
    need(n, "list of " + Integer.toUnsignedString(n) + " items");
    List<T> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(item.apply(this));
    }
    return out;
  }

  /** Whether every byte of the body has been read (optional trailing fields are absent). */
  public boolean atEnd() {
    return pos >= in.length();
  }

  /** Fails if the body has bytes nobody read: a sign of a mismatched message layout. */
  public void end(String messageName) {
    if (pos != in.length()) {
      throw new ProtocolException(
          messageName + " has " + (in.length() - pos) + " unexpected trailing bytes");
    }
  }
}
