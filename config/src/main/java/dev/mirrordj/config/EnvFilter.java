package dev.mirrordj.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which remote environment variables the local process receives: a name passes when it
 * matches an {@code include} pattern (all names when include is not set) and no {@code exclude}
 * pattern. Patterns use {@code *} (any run of characters) and {@code ?} (exactly one character) and
 * match the whole name. Some variables ({@link #DEFAULT_EXCLUDES}: {@code PATH}, {@code HOME}, ...)
 * are excluded unless named literally in {@code include}, as the reference documents. Thread-safe.
 */
public final class EnvFilter {
  /** Never copied from the pod unless literally included (mirrord's agent list). */
  public static final Set<String> DEFAULT_EXCLUDES =
      Set.of(
          "BUNDLER_ORIG_BUNDLER_ORIG_MANPATH",
          "BUNDLER_ORIG_BUNDLER_VERSION",
          "BUNDLER_ORIG_BUNDLE_BIN_PATH",
          "BUNDLER_ORIG_BUNDLE_GEMFILE",
          "BUNDLER_ORIG_GEM_HOME",
          "BUNDLER_ORIG_MANPATH",
          "BUNDLER_ORIG_PATH",
          "BUNDLER_ORIG_RB_USER_INSTALL",
          "BUNDLER_ORIG_RUBYLIB",
          "BUNDLER_ORIG_RUBYOPT",
          "BUNDLER_VERSION",
          "BUNDLE_APP_CONFIG",
          "BUNDLE_BIN_PATH",
          "BUNDLE_FORCE_RUBY_PLATFORM",
          "BUNDLE_GEMFILE",
          "BUNDLE_GEM_PATH",
          "BUNDLE_PATH",
          "BUNDLE_WITHOUT",
          "CATALINA_HOME",
          "CLASSPATH",
          "DOTNET_EnableDiagnostics",
          "DOTNET_STARTUP_HOOKS",
          "GEM_HOME",
          "GEM_PATH",
          "GOPATH",
          "GOMODCACHE",
          "HOME",
          "HOMEPATH",
          "JAVA_EXE",
          "JAVA_HOME",
          "JAVA_TOOL_OPTIONS",
          "PATH",
          "PWD",
          "PYTHONPATH",
          "RUBYLIB",
          "RUBYOPT",
          "MIRRORD_LOG",
          "RUST_LOG",
          "_JAVA_OPTIONS");

  private final List<String> includeLiterals;
  private final List<Pattern> include;
  private final List<Pattern> exclude;

  /**
   * @param include patterns, or null for "not set" (everything); @param exclude patterns, or null
   */
  public EnvFilter(List<String> include, List<String> exclude) {
    this.includeLiterals = include == null ? List.of() : List.copyOf(include);
    this.include = include == null ? null : include.stream().map(EnvFilter::wildcard).toList();
    this.exclude = exclude == null ? List.of() : exclude.stream().map(EnvFilter::wildcard).toList();
  }

  /** The filter of a resolved {@code feature.env}. */
  public static EnvFilter of(EnvConfig env) {
    return new EnvFilter(env.include().orElse(null), env.exclude().orElse(null));
  }

  /** Parses a {@code ;}-separated pattern list (as in MIRRORD_OVERRIDE_ENV_VARS_INCLUDE). */
  public static List<String> split(String patterns) {
    return java.util.Arrays.stream(patterns.split(";"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Whether the remote variable {@code name} is given to the local process. */
  public boolean allows(String name) {
    if (DEFAULT_EXCLUDES.contains(name) && !includeLiterals.contains(name)) {
      return false;
    }
    for (Pattern p : exclude) {
      if (p.matcher(name).matches()) {
        return false;
      }
    }
    if (include == null) {
      return true;
    }
    for (Pattern p : include) {
      if (p.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern wildcard(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
