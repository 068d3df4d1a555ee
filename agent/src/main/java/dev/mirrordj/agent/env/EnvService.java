package dev.mirrordj.agent.env;

import dev.mirrordj.config.EnvFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target's environment from {@code /proc/<pid>/environ}, filtered with the project's {@link
 * EnvFilter}: include/exclude wildcards, and the default exclusions (PATH, HOME, ...), which only a
 * literal include brings back.
 */
public final class EnvService {
  private final Path environ;
  private final List<String> runtimeEnv;

  public EnvService(Path environ) {
    this(environ, List.of());
  }

  /**
   * @param runtimeEnv {@code KEY=value} entries from the container runtime, overridden by environ
   */
  public EnvService(Path environ, List<String> runtimeEnv) {
    this.environ = environ;
    this.runtimeEnv = List.copyOf(runtimeEnv);
  }

  /** Reads and filters; an empty include list means every variable. */
  public Map<String, String> read(List<String> include, List<String> exclude) throws IOException {
    EnvFilter filter = new EnvFilter(include.isEmpty() ? null : include, exclude);
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> all = parse(String.join("\0", runtimeEnv).getBytes(StandardCharsets.UTF_8));
    all.putAll(parse(Files.readAllBytes(environ)));
    for (Map.Entry<String, String> e : all.entrySet()) {
      if (filter.allows(e.getKey())) {
        out.put(e.getKey(), e.getValue());
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
