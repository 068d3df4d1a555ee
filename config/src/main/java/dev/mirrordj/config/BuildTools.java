package dev.mirrordj.config;

import java.util.List;

/** The build tools skipped when {@code skip_build_tools} is true (the reference's list). */
public final class BuildTools {
  public static final List<String> DEFAULT =
      List.of(
          "as",
          "cc",
          "ld",
          "go",
          "air",
          "asm",
          "cc1",
          "cgo",
          "dlv",
          "gcc",
          "git",
          "link",
          "math",
          "cargo",
          "hpack",
          "rustc",
          "compile",
          "collect2",
          "cargo-watch",
          "debugserver");

  private BuildTools() {}

  /** Whether a process (by executable name) is skipped under this configuration. */
  public static boolean skipped(MirrordConfig config, String executableName) {
    return config.skipProcesses().contains(executableName)
        || (config.skipBuildTools() && DEFAULT.contains(executableName));
  }
}
