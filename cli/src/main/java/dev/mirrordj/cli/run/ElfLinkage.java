package dev.mirrordj.cli.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a program can load the layer: a dynamically linked ELF has a PT_INTERP program header; a
 * statically linked one (e.g. a CGO_ENABLED=0 Go binary) ignores LD_PRELOAD. Scripts are judged by
 * their #! interpreter.
 */
public final class ElfLinkage {
  private static final int PT_INTERP = 3;

  private ElfLinkage() {}

  /** Finds the program on PATH the way execvp does (names containing '/' are used as given). */
  public static Optional<Path> which(String program, String pathVariable) {
    if (program.contains("/")) return Optional.of(Path.of(program));
    for (String dir : (pathVariable == null ? "/usr/bin:/bin" : pathVariable).split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** True when the file is an ELF without an interpreter (static), following one level of #!. */
  public static boolean isStatic(Path program) throws IOException {
    return isStatic(program, 0);
  }

  private static boolean isStatic(Path program, int depth) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(program.toFile(), "r")) {
      byte[] head = new byte[64];
      int n = f.read(head);
      if (n >= 2 && head[0] == '#' && head[1] == '!' && depth == 0) {
        String line = new String(head, 2, n - 2, StandardCharsets.UTF_8).split("\n", 2)[0].trim();
        if (line.isEmpty()) return false;
        return isStatic(Path.of(line.split("\\s+")[0]), depth + 1);
      }
      if (n < 64 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F')
        return false;
      boolean is64 = head[4] == 2;
      ByteBuffer h =
          ByteBuffer.wrap(head)
              .order(head[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long phoff = is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1C));
      int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2A));
      int phnum = Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2C));
      byte[] ph = new byte[4];
      for (int i = 0; i < phnum; i++) {
        f.seek(phoff + (long) i * phentsize);
        f.readFully(ph);
        int type = ByteBuffer.wrap(ph).order(h.order()).getInt();
        if (type == PT_INTERP) return false;
      }
      return true;
    }
  }
}
