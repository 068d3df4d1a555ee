package dev.mirrordj.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.agent.fs.ErrnoException;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.protocol.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths and symlinks can never lead out of the root the resolver was given. */
class PathResolverTest {
  @TempDir Path root;

  @Test
  void dotDotAndSymlinksStayInsideTheRoot() throws Exception {
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("etc-file"), "x");
    Files.createSymbolicLink(root.resolve("a/abs"), Path.of("/etc-file"));
    Files.createSymbolicLink(root.resolve("a/up"), Path.of("../../../../../../.."));
    Files.createSymbolicLink(root.resolve("a/b/rel"), Path.of("../abs"));
    PathResolver r = new PathResolver(root);
    String rootStr = root.toString();
    assertEquals(rootStr + "/etc/passwd", r.resolve("/../../../etc/passwd", true));
    assertEquals(
        rootStr + "/etc-file", r.resolve("/a/abs", true), "absolute link restarts at the root");
    assertEquals(rootStr + "/a/abs", r.resolve("/a/abs", false), "lstat keeps the last link");
    assertEquals(rootStr + "/etc-file", r.resolve("/a/b/rel", true), "relative link to a link");
    assertEquals(
        rootStr + "/etc/shadow",
        r.resolve("/a/up/etc/shadow", true),
        "link climbing up stops at the root");
    assertEquals(rootStr + "/", r.resolve("/a/up", true));
  }

  @Test
  void loopsAndBadPathsAreErrors() throws Exception {
    Files.createSymbolicLink(root.resolve("loop1"), Path.of("/loop2"));
    Files.createSymbolicLink(root.resolve("loop2"), Path.of("/loop1"));
    PathResolver r = new PathResolver(root);
    assertEquals(
        Errno.ELOOP, assertThrows(ErrnoException.class, () -> r.resolve("/loop1", true)).errno());
    assertEquals(
        Errno.EINVAL,
        assertThrows(ErrnoException.class, () -> r.resolve("relative", true)).errno());
    assertEquals(
        Errno.ENOENT, assertThrows(ErrnoException.class, () -> r.resolve("", true)).errno());
  }

  @Test
  void hostRootMapsToItself() throws Exception {
    assertEquals("/etc/hosts", new PathResolver(Path.of("/")).resolve("/etc/../etc/hosts", true));
  }
}
