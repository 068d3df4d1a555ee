package dev.mirrordj.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every constant of {@link Errno} (errno, EAI_*, O_*) equals what this machine's C headers say: a C
 * program generated from the Java table prints each value and the two maps must be equal. The
 * platform is Linux x86-64 with glibc (gcc is a build dependency, so a missing compiler fails).
 */
class LinuxTableTest {
  @TempDir Path work;

  static Map<String, Integer> javaTable() throws IllegalAccessException {
    Map<String, Integer> out = new TreeMap<>();
    for (Field f : Errno.class.getDeclaredFields()) {
      int m = f.getModifiers();
      if (f.getType() == int.class && Modifier.isStatic(m) && Modifier.isPublic(m))
        out.put(f.getName(), f.getInt(null));
    }
    return out;
  }

  @Test
  void everyConstantMatchesTheSystemHeaders() throws Exception {
    Map<String, Integer> java = javaTable();
    assertTrue(java.size() > 40, "the table is read by reflection: " + java.keySet());
    StringBuilder c =
        new StringBuilder(
            "#define _GNU_SOURCE\n#include <errno.h>\n#include <fcntl.h>\n#include <netdb.h>\n"
                + "#include <stdio.h>\nint main(void) {\n");
    for (String name : java.keySet())
      c.append("  printf(\"%s %d\\n\", \"")
          .append(name)
          .append("\", (int)")
          .append(name)
          .append(");\n");
    c.append("  return 0;\n}\n");
    Path src = work.resolve("table.c"), bin = work.resolve("table");
    Files.writeString(src, c);
    Process gcc =
        new ProcessBuilder("gcc", "-o", bin.toString(), src.toString())
            .redirectErrorStream(true)
            .start();
    String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc hung");
    assertEquals(0, gcc.exitValue(), "a name the headers do not define?\n" + gccOut);
    Process run = new ProcessBuilder(bin.toString()).start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(run.waitFor(10, TimeUnit.SECONDS) && run.exitValue() == 0, out);
    Map<String, Integer> system = new TreeMap<>();
    out.lines().map(l -> l.split(" ")).forEach(p -> system.put(p[0], Integer.parseInt(p[1])));
    assertEquals(system, java);
  }
}
