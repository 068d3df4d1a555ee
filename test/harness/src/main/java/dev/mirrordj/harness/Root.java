package dev.mirrordj.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need root (namespaces, iptables): outside CI they skip with one line saying
 * why; with {@code CI=true} they must run, so a missing privilege fails the build instead of hiding
 * it.
 */
public final class Root {
  private Root() {}

  /** True when this process runs with effective uid 0. */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** True when the environment says we run in CI, where root-only tests are mandatory. */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Call first in a root-only test (or a {@code @BeforeAll}): skips outside CI when not root, fails
   * in CI.
   */
  public static void requireRoot() {
    if (isRoot()) {
      return;
    }
    String why =
        "needs root for network/mount namespaces (run as root, or with CI=true to make it mandatory)";
    if (inCi()) {
      Assertions.fail("CI=true but " + why);
    }
    Assumptions.abort("SKIPPED: " + why);
  }
}
