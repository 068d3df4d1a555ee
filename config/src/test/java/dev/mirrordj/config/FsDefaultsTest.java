package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.config.regex.InvalidRegexException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mirrord's built-in path lists compile with the shared matcher and classify paths as mirrord does.
 */
class FsDefaultsTest {
  private static final FsDefaults.Environment ENV =
      new FsDefaults.Environment(
          Path.of("/home/dev"),
          Path.of("/tmp/x (1)"),
          Path.of("/work/app"),
          Path.of("/usr/bin/python3.11"));

  private static boolean any(List<String> patterns, String path) throws InvalidRegexException {
    for (String p : patterns) {
      if (FancyRegex.compile(p).find(path)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void readLocalByDefault() throws Exception {
    List<String> local = FsDefaults.readLocal(ENV);
    assertTrue(any(local, "/etc/passwd"));
    assertTrue(any(local, "/usr/lib/libc.so"));
    assertTrue(any(local, "/work/app/main.py"), "the working directory");
    assertTrue(any(local, "/tmp/x (1)/f"), "the temp dir, with regex characters escaped");
    assertTrue(any(local, "/home/dev/.bashrc"), "hidden files in home");
    assertTrue(any(local, "/opt/python3.11/python3.11"), "/opt is local");
    assertFalse(any(local, "/app/config.yaml"));
    assertFalse(any(local, "/var/log/app.log"));
  }

  @Test
  void readRemoteAndNotFound() throws Exception {
    assertTrue(any(FsDefaults.READ_REMOTE, "/etc/resolv.conf"));
    assertTrue(any(FsDefaults.READ_REMOTE, "/etc/ssl/certs/ca.pem"));
    assertFalse(any(FsDefaults.READ_REMOTE, "/etc/passwd"));
    List<String> notFound = FsDefaults.notFound(Path.of("/home/dev"));
    assertTrue(any(notFound, "/home/dev/.kube/config"));
    assertFalse(any(notFound, "/home/other/.kube/config"));
  }

  @Test
  void escapeLikeRust() {
    assertEquals("a\\.b\\*\\(c\\)", FsDefaults.escape("a.b*(c)"));
  }
}
