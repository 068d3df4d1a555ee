package dev.mirrordj.agent;

import org.junit.jupiter.api.Assumptions;

/** Root-only tests skip with one line outside CI; with CI=true they must run. */
final class RootOnly {
  private RootOnly() {}

  static void require() {
    boolean root = dev.mirrordj.sys.Privileges.effectiveRoot();
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(root, "skipped: needs root (setns, unshare, chroot); runs in CI");
    }
  }
}
