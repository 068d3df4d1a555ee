package dev.mirrordj.agent.runtime.impl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few protobuf wire-format operations containerd's API needs: writing string fields and reading
 * length-delimited / varint fields by number. Hand-written so the agent needs no gRPC or protobuf
 * runtime; unknown fields are skipped as the protobuf rules require.
 */
final class Protobuf {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private Protobuf() {}

  /** Encodes a message made only of string fields, in the given order ({@code field, value, …}). */
  static byte[] strings(Object... fieldsAndValues) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      int field = (Integer) fieldsAndValues[i];
      byte[] value = ((String) fieldsAndValues[i + 1]).getBytes(StandardCharsets.UTF_8);
      writeVarint(out, ((long) field << 3) | LENGTH_DELIMITED);
      writeVarint(out, value.length);
      out.write(value, 0, value.length);
    }
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** Every length-delimited value of {@code field} (sub-messages, strings, bytes), in order. */
  static List<byte[]> bytesFields(byte[] message, int field) {
    List<byte[]> found = new ArrayList<>();
    scan(message, field, found, null);
    return found;
  }

  /** The first length-delimited value of {@code field}, or {@code null} when absent. */
  static byte[] bytesField(byte[] message, int field) {
    List<byte[]> all = bytesFields(message, field);
    return all.isEmpty() ? null : all.get(0);
  }

  /**
   * The last varint value of {@code field} (protobuf's "last one wins"), or {@code 0} when absent.
   */
  static long varintField(byte[] message, int field) {
    long[] last = {0};
    scan(message, field, null, last);
    return last[0];
  }

  private static void scan(byte[] msg, int wanted, List<byte[]> bytesOut, long[] varintOut) {
    int[] pos = {0};
    while (pos[0] < msg.length) {
      long key = readVarint(msg, pos);
      int field = (int) (key >>> 3);
      int type = (int) (key & 7);
      switch (type) {
        case VARINT -> {
          long v = readVarint(msg, pos);
          if (field == wanted && varintOut != null) {
            varintOut[0] = v;
          }
        }
        case FIXED64 -> skip(msg, pos, 8);
        case FIXED32 -> skip(msg, pos, 4);
        case LENGTH_DELIMITED -> {
          long len = readVarint(msg, pos);
          if (len < 0 || len > msg.length - pos[0]) {
            throw new IllegalArgumentException(
                "protobuf field " + field + " length " + len + " runs past the end of the message");
          }
          if (field == wanted && bytesOut != null) {
            byte[] v = new byte[(int) len];
            System.arraycopy(msg, pos[0], v, 0, (int) len);
            bytesOut.add(v);
          }
          pos[0] += (int) len;
        }
        default ->
            throw new IllegalArgumentException(
                "unsupported protobuf wire type " + type + " for field " + field);
      }
    }
  }

  private static void skip(byte[] msg, int[] pos, int n) {
    if (msg.length - pos[0] < n) {
      throw new IllegalArgumentException("truncated protobuf message");
    }
    pos[0] += n;
  }

  private static long readVarint(byte[] msg, int[] pos) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= msg.length) {
        throw new IllegalArgumentException("truncated protobuf varint");
      }
      byte b = msg[pos[0]++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("protobuf varint longer than 10 bytes");
  }
}
