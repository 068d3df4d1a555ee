package dev.mirrordj.agent.env;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target's environment from {@code /proc/<pid>/environ}, filtered by the client's include and
 * exclude patterns and always without the default exclusions (mirrord-behaviour.md §5.6), which an
 * include cannot bring back.
 */
public final class EnvService {
  /** Variables that describe the pod's toolchain or shell, not its configuration. */
  public static final Set<String> DEFAULT_EXCLUDES = Set.of(
      "BUNDLER_ORIG_BUNDLER_ORIG_MANPATH", "BUNDLER_ORIG_BUNDLER_VERSION", "BUNDLER_ORIG_BUNDLE_BIN_PATH",
      "BUNDLER_ORIG_BUNDLE_GEMFILE", "BUNDLER_ORIG_GEM_HOME", "BUNDLER_ORIG_MANPATH", "BUNDLER_ORIG_PATH",
      "BUNDLER_ORIG_RB_USER_INSTALL", "BUNDLER_ORIG_RUBYLIB", "BUNDLER_ORIG_RUBYOPT", "BUNDLER_VERSION",
      "BUNDLE_APP_CONFIG", "BUNDLE_BIN_PATH", "BUNDLE_FORCE_RUBY_PLATFORM", "BUNDLE_GEMFILE", "BUNDLE_GEM_PATH",
      "BUNDLE_PATH", "BUNDLE_WITHOUT", "CATALINA_HOME", "CLASSPATH", "DOTNET_EnableDiagnostics",
      "DOTNET_STARTUP_HOOKS", "GEM_HOME", "GEM_PATH", "GOPATH", "GOMODCACHE", "HOME", "HOMEPATH", "JAVA_EXE",
      "JAVA_HOME", "JAVA_TOOL_OPTIONS", "PATH", "PWD", "PYTHONPATH", "RUBYLIB", "RUBYOPT", "MIRRORD_LOG",
      "RUST_LOG", "_JAVA_OPTIONS");

  private final Path environ;

  public EnvService(Path environ) {
    this.environ = environ;
  }

  /** Reads and filters; an empty include list means every variable. */
  public Map<String, String> read(List<String> include, List<String> exclude) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : parse(Files.readAllBytes(environ)).entrySet()) {
      String name = e.getKey();
      if (DEFAULT_EXCLUDES.contains(name) || WildcardPattern.anyMatches(exclude, name)) {
        continue;
      }
      if (include.isEmpty() || WildcardPattern.anyMatches(include, name)) {
        out.put(name, e.getValue());
      }
    }
    return out;
  }

  /** NUL-separated {@code NAME=value} entries; entries without '=' are skipped. */
  static Map<String, String> parse(byte[] raw) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        vars.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return vars;
  }
}
