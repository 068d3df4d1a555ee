package dev.mirrordj.verticles.proxy;

import dev.mirrordj.config.FsDefaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The built-in path lists ({@link FsDefaults}, reference mirrord-behaviour.md §5.5) compiled for
 * the proxy, plus the fast-path rules the layer may apply without a round trip.
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

  static List<Pattern> local(ProxySettings.LocalFacts f) {
    Path exe = ProcessHandle.current().info().command().map(Path::of).orElse(null);
    List<String> all =
        new ArrayList<>(
            FsDefaults.readLocal(new FsDefaults.Environment(f.home(), f.tempDir(), f.cwd(), exe)));
    if (f.layerTmp() != null) all.add("^" + FsDefaults.escape(f.layerTmp().toString()));
    return compile(all);
  }

  static List<Pattern> remote() {
    return compile(FsDefaults.READ_REMOTE);
  }

  static List<Pattern> notFound(Path home) {
    return compile(FsDefaults.notFound(home));
  }

  /** Patterns are case-insensitive and searched (not anchored), as mirrord's regex sets are. */
  static List<Pattern> compile(List<String> patterns) {
    List<Pattern> out = new ArrayList<>();
    for (String p : patterns)
      out.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    return out;
  }

  static boolean any(List<Pattern> patterns, String path) {
    for (Pattern p : patterns) if (p.matcher(path).find()) return true;
    return false;
  }
}
