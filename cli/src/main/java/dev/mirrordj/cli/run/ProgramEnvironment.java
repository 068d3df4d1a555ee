package dev.mirrordj.cli.run;

import dev.mirrordj.config.EnvConfig;
import dev.mirrordj.config.EnvFilter;
import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.config.regex.InvalidRegexException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment the program starts with: the local environment, the pod's variables on top (see
 * {@link #remote} for their precedence), minus feature.env.unset, without HTTP[S]_PROXY when
 * use_proxy is false, plus the layer's variables with LD_PRELOAD appended to any existing value.
 */
public final class ProgramEnvironment {
  /** Matched case-insensitively: some clients (Python's urllib) read these names in any case. */
  private static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY");

  private ProgramEnvironment() {}

  /**
   * Remote variables as feature.env says the program sees them, in mirrord's order: the pod's
   * variables that include/exclude allow; then env_file's variables (they win over the pod's and
   * are not filtered); then mapping (a variable whose name matches a pattern, case-sensitively,
   * gets that pattern's value; the first matching pattern wins); then override.
   *
   * @throws DotenvFile.EnvFileException naming env_file's path when it cannot be read or parsed
   */
  public static Map<String, String> remote(Map<String, String> pod, EnvConfig env) {
    EnvFilter filter = EnvFilter.of(env);
    Map<String, String> out = new LinkedHashMap<>();
    pod.forEach(
        (k, v) -> {
          if (filter.allows(k)) out.put(k, v);
        });
    env.envFile().ifPresent(file -> out.putAll(DotenvFile.read(Path.of(file))));
    remap(out, env.mapping());
    out.putAll(env.overrides());
    return out;
  }

  private static void remap(Map<String, String> vars, Map<String, String> mapping) {
    if (mapping.isEmpty()) return;
    List<Map.Entry<FancyRegex, String>> rules = new ArrayList<>();
    for (Map.Entry<String, String> e : mapping.entrySet()) {
      try {
        // names are matched case-sensitively, as mirrord's mapping does
        rules.add(Map.entry(FancyRegex.compile("(?-i)" + e.getKey()), e.getValue()));
      } catch (InvalidRegexException ex) {
        throw new IllegalArgumentException(
            "feature.env.mapping." + e.getKey() + ": " + ex.getMessage(), ex);
      }
    }
    vars.replaceAll(
        (name, value) -> {
          for (Map.Entry<FancyRegex, String> r : rules) {
            if (r.getKey().find(name)) return r.getValue();
          }
          return value;
        });
  }

  /** Drops feature.env.unset names (case-insensitive). */
  public static Map<String, String> withoutUnset(Map<String, String> vars, EnvConfig env) {
    Map<String, String> out = new LinkedHashMap<>(vars);
    for (String name : env.unset()) out.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    return out;
  }

  public static Map<String, String> build(
      Map<String, String> local,
      Map<String, String> remote,
      EnvConfig env,
      boolean useProxy,
      Path layerLibrary,
      Path layerSocket,
      Path layerTmp) {
    Map<String, String> out = new LinkedHashMap<>(local);
    if (!useProxy) {
      out.keySet().removeIf(k -> PROXY_VARIABLES.stream().anyMatch(k::equalsIgnoreCase));
    }
    out.putAll(remote);
    for (String name : env.unset()) {
      out.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    }
    String pre = out.get("LD_PRELOAD");
    out.put(
        "LD_PRELOAD",
        pre == null || pre.isBlank() ? layerLibrary.toString() : pre + ":" + layerLibrary);
    out.put("MIRRORD_LAYER_SOCK", layerSocket.toString());
    out.put("MIRRORD_LAYER_TMP", layerTmp.toString());
    out.put("MIRRORD_PROGRESS_MODE", "off");
    return out;
  }
}
