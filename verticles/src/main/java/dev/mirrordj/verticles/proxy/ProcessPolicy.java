package dev.mirrordj.verticles.proxy;

import dev.mirrordj.config.BuildTools;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * skip_processes and skip_build_tools: a process is skipped when its executable's file name or the
 * last component of argv[0] exactly equals an entry (as mirrord matches skip_processes).
 */
public final class ProcessPolicy {
  /** The documented list plus three that mirrord also skips: helpers that must run locally. */
  static final List<String> BUILD_TOOLS =
      java.util.stream.Stream.concat(
              BuildTools.DEFAULT.stream(),
              java.util.stream.Stream.of("jspawnhelper", "bazel-real", "clang"))
          .toList();

  private final Set<String> skipped = new HashSet<>();

  public ProcessPolicy(ProxySettings s) {
    for (String p : s.skipProcesses()) {
      for (String part : p.split(";")) if (!part.isBlank()) skipped.add(part.trim());
    }
    if (s.skipBuildTools()) {
      skipped.addAll(BUILD_TOOLS);
      skipped.addAll(s.skipExtraBuildTools());
    }
  }

  public boolean skip(String exe, String cmdline) {
    String exeName = exe == null || exe.isEmpty() ? "" : Path.of(exe).getFileName().toString();
    String argv0 = cmdline == null || cmdline.isEmpty() ? "" : cmdline.split(" ", 2)[0];
    String invokedAs = argv0.isEmpty() ? "" : argv0.substring(argv0.lastIndexOf('/') + 1);
    return skipped.contains(exeName) || skipped.contains(invokedAs);
  }
}
