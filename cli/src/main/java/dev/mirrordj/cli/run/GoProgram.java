package dev.mirrordj.cli.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Whether an ELF program was built by Go (it has a {@code .go.buildinfo} section). Go matters to
 * {@code run} because even a cgo build, which loads the layer, makes its file, socket and hostname
 * calls as raw system calls that no libc hook sees; the user deserves to know which parts reach the
 * pod.
 */
public final class GoProgram {
  private static final int MAX_SECTIONS = 4096;
  private static final int MAX_NAMES = 1 << 20;

  private GoProgram() {}

  /** True for a 64- or 32-bit ELF with a .go.buildinfo section; false for anything else. */
  public static boolean isGo(Path program) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(program.toFile(), "r")) {
      byte[] head = new byte[64];
      if (f.read(head) < 64
          || head[0] != 0x7f
          || head[1] != 'E'
          || head[2] != 'L'
          || head[3] != 'F') return false;
      boolean is64 = head[4] == 2;
      ByteBuffer h =
          ByteBuffer.wrap(head)
              .order(head[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long shoff = is64 ? h.getLong(0x28) : Integer.toUnsignedLong(h.getInt(0x20));
      int shentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x3A : 0x2E));
      int shnum = Short.toUnsignedInt(h.getShort(is64 ? 0x3C : 0x30));
      int shstrndx = Short.toUnsignedInt(h.getShort(is64 ? 0x3E : 0x32));
      if (shoff == 0
          || shnum == 0
          || shnum > MAX_SECTIONS
          || shstrndx >= shnum
          || shentsize < (is64 ? 64 : 40)) return false;
      ByteBuffer table = read(f, shoff, shnum * shentsize, h.order());
      ByteBuffer strings = section(table, shstrndx, shentsize, is64, f, h.order());
      if (strings == null) return false;
      for (int i = 0; i < shnum; i++) {
        int nameOffset = table.getInt(i * shentsize);
        if (".go.buildinfo".equals(cString(strings, nameOffset))) return true;
      }
      return false;
    }
  }

  /** The bytes of section i (used for the section-name string table). */
  private static ByteBuffer section(
      ByteBuffer table, int i, int entSize, boolean is64, RandomAccessFile f, ByteOrder order)
      throws IOException {
    int base = i * entSize;
    long offset =
        is64 ? table.getLong(base + 0x18) : Integer.toUnsignedLong(table.getInt(base + 0x10));
    long size =
        is64 ? table.getLong(base + 0x20) : Integer.toUnsignedLong(table.getInt(base + 0x14));
    if (size <= 0 || size > MAX_NAMES || offset + size > f.length()) return null;
    return read(f, offset, (int) size, order);
  }

  private static ByteBuffer read(RandomAccessFile f, long offset, int length, ByteOrder order)
      throws IOException {
    byte[] b = new byte[length];
    f.seek(offset);
    f.readFully(b);
    return ByteBuffer.wrap(b).order(order);
  }

  private static String cString(ByteBuffer b, int offset) {
    if (offset < 0 || offset >= b.limit()) return "";
    int end = offset;
    while (end < b.limit() && b.get(end) != 0) end++;
    return new String(b.array(), offset, end - offset, StandardCharsets.US_ASCII);
  }
}
