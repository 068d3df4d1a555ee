package dev.mirrordj.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * Appends protocol primitives (big-endian) to a body buffer. See protocol/README.md for the rules.
 */
public final class WireWriter {
  private final Buffer out;

  public WireWriter() {
    this(Buffer.buffer(64));
  }

  public WireWriter(Buffer out) {
    this.out = out;
  }

  public Buffer buffer() {
    return out;
  }

  public WireWriter u8(int v) {
    out.appendUnsignedByte((short) (v & 0xff));
    return this;
  }

  public WireWriter u16(int v) {
    out.appendUnsignedShort(v & 0xffff);
    return this;
  }

  public WireWriter i32(int v) {
    out.appendInt(v);
    return this;
  }

  public WireWriter i64(long v) {
    out.appendLong(v);
    return this;
  }

  public WireWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  /** {@code u32 length} then the UTF-8 bytes. */
  public WireWriter string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public WireWriter bytes(byte[] b) {
    out.appendInt(b.length).appendBytes(b);
    return this;
  }

  public WireWriter bytes(Buffer b) {
    out.appendInt(b.length()).appendBuffer(b);
    return this;
  }

  /** {@code u32 count} then each item. */
  public <T> WireWriter list(Collection<T> items, BiConsumer<WireWriter, T> item) {
    out.appendInt(items.size());
    for (T t : items) {
      item.accept(this, t);
    }
    return this;
  }
}
