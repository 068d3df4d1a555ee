package dev.mirrordj.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * mirrord's built-in path lists (Linux), applied by the proxy on top of the user's {@code
 * feature.fs} patterns. Static lists are data; the dynamic entries depend on the user's home, temp
 * dir, working directory and executable, so they are built by {@link #readLocal(Environment)}.
 */
public final class FsDefaults {
  /** Read locally by default, regardless of the fs mode (case-insensitive regexes). */
  public static final List<String> READ_LOCAL_STATIC =
      List.of(
          ".\\.so$",
          ".\\.sh$",
          ".\\.rb$",
          ".\\.d$",
          ".\\.pyc$",
          ".\\.py$",
          ".\\.jar$",
          ".\\.class$",
          ".\\.js$",
          ".\\.pth$",
          ".\\.plist$",
          "venv\\.cfg$",
          "^/proc(/|$)",
          "^/sys(/|$)",
          "^/lib(/|$)",
          "^/etc(/|$)",
          "^/usr(/|$)",
          "^/home(/|$)",
          "^/bin(/|$)",
          "^/sbin(/|$)",
          "^/dev(/|$)",
          "^/opt(/|$)",
          "^/tmp(/|$)",
          "^/var/tmp(/|$)",
          "^/var/db/timezone/zoneinfo(/|$)",
          "^/snap(/|$)",
          "^/run(/|$)",
          "^/selinux(/|$)",
          "^/nix(/|$)",
          ".+\\.asdf/.+",
          "^/home/iojs(/|$)",
          "^/home/runner(/|$)",
          "clr-.*-pipe-",
          "\\.pdb$",
          "\\.dll$",
          ".*(^|/)jvm\\.cfg$",
          "/package\\.json$",
          "/\\.yarnrc$",
          "/\\.yarnrc.yml$",
          "/\\.yarnrc.json$",
          "/node_modules",
          ".*/\\.tool-versions$",
          "^/Program Files",
          "^/$");

  /** Read remotely by default, consulted only in {@code localwithoverrides} mode (reads only). */
  public static final List<String> READ_REMOTE =
      List.of("^/etc/resolv.conf$", "^/etc/hosts$", "^/etc/hostname$", "^/etc/ssl/certs(/|$)");

  /**
   * Under the user's home: treated as non-existent unless the mode is local (suffixes after {@code
   * ^<home>/}).
   */
  public static final List<String> NOT_FOUND_UNDER_HOME =
      List.of("\\.config/gcloud", "\\.kube", "\\.azure");

  private FsDefaults() {}

  /** The local machine facts the dynamic lists depend on. */
  public record Environment(Path home, Path tempDir, Path workingDir, Path executable) {}

  /**
   * The full read-local list: static entries plus temp dir, cwd (unless /), executable and hidden
   * home files.
   */
  public static List<String> readLocal(Environment env) {
    List<String> out = new ArrayList<>(READ_LOCAL_STATIC);
    out.add("^" + escape(env.tempDir().toString()));
    if (!env.workingDir().toString().equals("/")) {
      out.add("^" + escape(env.workingDir().toString()) + "(/|$)");
    }
    if (env.executable() != null) {
      out.add(escape(env.executable().toString()) + "$");
    }
    out.add("^" + escape(env.home().toString()) + "/\\.");
    return List.copyOf(out);
  }

  /**
   * Escapes regex meta characters the way Rust's {@code regex::escape} does (no \\Q..\\E, which
   * fancy-regex lacks).
   */
  public static String escape(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 8);
    for (char c : literal.toCharArray()) {
      if ("\\.+*?()|[]{}^$#&-~".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** The not-found list anchored at the user's home. */
  public static List<String> notFound(Path home) {
    String prefix = "^" + escape(home.toString()) + "/";
    return NOT_FOUND_UNDER_HOME.stream().map(s -> prefix + s).toList();
  }
}
