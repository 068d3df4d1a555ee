package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All eight statfs entry points under the layer against the fixture proxy, whose remote paths
 * answer figures no real filesystem has (type 0x6d697272, 4242 blocks of 1024 bytes, 777 inodes):
 * path and fd forms, with and without 64-bit file offsets (which select the *64 symbols), the
 * statvfs conversion (f_flag without ST_VALID, f_favail), the pod's ENOENT, and a local path
 * answered by the real filesystem.
 */
class StatfsUnderLayerTest {
  @org.junit.jupiter.api.io.TempDir static Path work;
  static LayerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new LayerHarness(work);
    h.handler.localPrefixes =
        List.of("/usr", "/lib", "/proc", "/sys", "/dev", "/etc", work.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
  }

  static final String PROGRAM =
      String.join(
          "\n",
          "#include <fcntl.h>",
          "#include <stdio.h>",
          "#include <sys/statfs.h>",
          "#include <sys/statvfs.h>",
          "static void fs(const char *n, int rc, struct statfs *s) {",
          "  if (rc) { perror(n); return; }",
          "  printf(\"%s %lx %ld %lu %lu %lu %lu %lu %ld %ld %lx\\n\", n, (unsigned long)s->f_type,",
          "    (long)s->f_bsize, (unsigned long)s->f_blocks, (unsigned long)s->f_bfree,",
          "    (unsigned long)s->f_bavail, (unsigned long)s->f_files, (unsigned long)s->f_ffree,",
          "    (long)s->f_namelen, (long)s->f_frsize, (unsigned long)s->f_flags); }",
          "static void vfs(const char *n, int rc, struct statvfs *v) {",
          "  if (rc) { perror(n); return; }",
          "  printf(\"%s %lu %lu %lu %lu %lu %lu %lu %lu %lx %lu %lx\\n\", n, v->f_bsize, v->f_frsize,",
          "    (unsigned long)v->f_blocks, (unsigned long)v->f_bfree, (unsigned long)v->f_bavail,",
          "    (unsigned long)v->f_files, (unsigned long)v->f_ffree, (unsigned long)v->f_favail,",
          "    v->f_fsid, v->f_namemax, v->f_flag); }",
          "int main(int argc, char **argv) {",
          "  struct statfs s; struct statvfs v;",
          "  fs(\"statfs\", statfs(\"/mirrord-remote/dir\", &s), &s);",
          "  vfs(\"statvfs\", statvfs(\"/mirrord-remote/dir\", &v), &v);",
          "  int fd = open(\"/mirrord-remote/hello.txt\", O_RDONLY);",
          "  fs(\"fstatfs\", fstatfs(fd, &s), &s);",
          "  vfs(\"fstatvfs\", fstatvfs(fd, &v), &v);",
          "  int dfd = open(\"/mirrord-remote/dir\", O_RDONLY | O_DIRECTORY);",
          "  fs(\"dirfd\", fstatfs(dfd, &s), &s);",
          "  fs(\"missing\", statfs(\"/mirrord-remote/nope\", &s), &s);",
          "  struct statfs l; struct statfs *lp = &l;",
          "  if (statfs(argv[1], lp) == 0) printf(\"local %lx\\n\", (unsigned long)l.f_type);",
          "  return 0; }",
          "");

  static final String FS_LINE = " 6d697272 2048 4242 4000 3900 777 700 200 1024 21";
  static final String VFS_LINE = " 2048 1024 4242 4000 3900 777 700 700 500000007 200 1";

  @ParameterizedTest
  @ValueSource(strings = {"", "-D_FILE_OFFSET_BITS=64"})
  void everyEntryPointAnswersThePodForARemotePath(String define) throws Exception {
    Path src = work.resolve("statfs.c");
    Files.writeString(src, PROGRAM);
    Path bin = work.resolve("statfs" + define.length());
    List<String> gcc =
        define.isEmpty()
            ? List.of("gcc", "-o", bin.toString(), src.toString())
            : List.of("gcc", define, "-o", bin.toString(), src.toString());
    assertEquals(0, new ProcessBuilder(gcc).inheritIO().start().waitFor());
    if (!define.isEmpty()) {
      Process nm = new ProcessBuilder("nm", "-D", bin.toString()).start();
      String symbols = new String(nm.getInputStream().readAllBytes());
      nm.waitFor();
      assertTrue(symbols.contains("statfs64") && symbols.contains("statvfs64"), symbols);
    }
    LayerHarness.Result r = h.run(List.of(bin.toString(), work.toString()));
    assertEquals(0, r.exit(), r.stderr());
    List<String> lines = r.lines();
    assertTrue(lines.contains("statfs" + FS_LINE), r.stdout() + r.stderr());
    assertTrue(lines.contains("fstatfs" + FS_LINE), r.stdout() + r.stderr());
    assertTrue(lines.contains("dirfd" + FS_LINE), r.stdout() + r.stderr());
    assertTrue(lines.contains("statvfs" + VFS_LINE), r.stdout() + r.stderr());
    assertTrue(lines.contains("fstatvfs" + VFS_LINE), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("missing: No such file or directory"), r.stderr());
    String local = lines.stream().filter(l -> l.startsWith("local ")).findFirst().orElse("none");
    assertTrue(
        !local.equals("none") && !local.equals("local 6d697272"),
        "a local path is answered by the real filesystem: " + local);
  }

  @org.junit.jupiter.api.Test
  void pythonStatvfs() throws Exception {
    LayerHarness.Result r =
        h.run(
            List.of(
                "/usr/bin/python3",
                "-c",
                "import os; s = os.statvfs('/mirrord-remote/dir');"
                    + " print(s.f_bsize, s.f_frsize, s.f_blocks, s.f_files, s.f_namemax)"));
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.lines().contains("2048 1024 4242 777 200"), r.stdout() + r.stderr());
  }
}
