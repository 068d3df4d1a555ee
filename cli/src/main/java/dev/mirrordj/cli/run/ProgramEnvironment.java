package dev.mirrordj.cli.run;

import dev.mirrordj.config.EnvConfig;
import dev.mirrordj.config.EnvFilter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment the program starts with (reference §1.2 step 5): the local environment, the pod's
 * variables on top (filtered by include/exclude, then feature.env.override), minus
 * feature.env.unset, without HTTP[S]_PROXY when use_proxy is false, plus the layer's variables with
 * LD_PRELOAD appended to any existing value.
 */
public final class ProgramEnvironment {
  /** Matched case-insensitively: some clients (Python's urllib) read these names in any case. */
  private static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY");

  private ProgramEnvironment() {}

  /** Remote variables as feature.env says the program sees them. */
  public static Map<String, String> remote(Map<String, String> pod, EnvConfig env) {
    EnvFilter filter = EnvFilter.of(env);
    Map<String, String> out = new LinkedHashMap<>();
    pod.forEach(
        (k, v) -> {
          if (filter.allows(k)) out.put(k, v);
        });
    out.putAll(env.overrides());
    return out;
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
