package dev.mirrordj.verticles.proxy;

import dev.mirrordj.config.FsDefaults;
import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.config.regex.InvalidRegexException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in path lists ({@link FsDefaults}) compiled for the proxy, plus the fast-path rules the
 * layer may apply without a round trip.
 */
final class DefaultPathLists {
  /**
   * Directory prefixes the layer may treat as local without asking, valid only when the user gave
   * no pattern that could pull a path back (the proxy checks that before sending them).
   */
  static final List<String> FAST_LOCAL_PREFIXES =
      List.of(
          "/proc",
          "/sys",
          "/lib",
          "/lib64",
          "/usr",
          "/bin",
          "/sbin",
          "/dev",
          "/opt",
          "/snap",
          "/nix",
          "/selinux",
          "/run",
          "/var/tmp");

  static final List<String> FAST_LOCAL_SUFFIXES = List.of(".so", ".pyc", ".class", ".jar");

  private DefaultPathLists() {}

  static List<FancyRegex> local(ProxySettings.LocalFacts f) {
    Path exe = ProcessHandle.current().info().command().map(Path::of).orElse(null);
    List<String> all =
        new ArrayList<>(
            FsDefaults.readLocal(new FsDefaults.Environment(f.home(), f.tempDir(), f.cwd(), exe)));
    if (f.layerTmp() != null) all.add("^" + FsDefaults.escape(f.layerTmp().toString()));
    return compile(all);
  }

  static List<FancyRegex> remote() {
    return compile(FsDefaults.READ_REMOTE);
  }

  static List<FancyRegex> notFound(Path home) {
    return compile(FsDefaults.notFound(home));
  }

  /**
   * Patterns are case-insensitive and searched (not anchored), as mirrord's regex sets are; they
   * compile with the same fancy-regex matcher that validated them, so a pattern means the same
   * thing in validation and at run time.
   */
  static List<FancyRegex> compile(List<String> patterns) {
    List<FancyRegex> out = new ArrayList<>();
    for (String p : patterns) {
      try {
        out.add(FancyRegex.compile(p));
      } catch (InvalidRegexException e) {
        // user patterns were validated with their field path before the proxy starts
        throw new IllegalArgumentException("invalid feature.fs pattern: " + e.getMessage(), e);
      }
    }
    return out;
  }

  static boolean any(List<FancyRegex> patterns, String path) {
    for (FancyRegex p : patterns) if (p.find(path)) return true;
    return false;
  }
}
