package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mirrordj.config.bind.ShortForms;
import java.util.Optional;

/**
 * {@code target}: what to impersonate and where it lives. Written as a path string or as {@code
 * {"path": <string|object>, "namespace": "..."}}.
 *
 * @param path the target; empty when not given (then the session is targetless, or an IDE asks)
 * @param namespace the target's namespace; empty means the kube context's (reference: "default")
 */
@ShortForms(anyString = "a target path string", stringPattern = TargetPathParser.STRING_PATTERN)
public record TargetConfig(Optional<TargetPath> path, Optional<String> namespace) {
  /** The namespace the reference documents when none is configured. */
  public static final String DEFAULT_NAMESPACE = "default";

  static TargetConfig defaults() {
    return new TargetConfig(Optional.empty(), Optional.empty());
  }

  static JsonNode expand(JsonNode node) {
    if (node.isTextual()) {
      return JsonNodeFactory.instance.objectNode().put("path", node.textValue());
    }
    return node;
  }

  /** The path to use: the configured one, or targetless when none is configured. */
  public TargetPath effectivePath() {
    return path.orElseGet(TargetPath.Targetless::new);
  }

  /** Whether the session runs without a target (explicitly or because none is configured). */
  public boolean isTargetless() {
    return effectivePath() instanceof TargetPath.Targetless;
  }

  /** The namespace to use: the configured one or {@value #DEFAULT_NAMESPACE}. */
  public String effectiveNamespace() {
    return namespace.orElse(DEFAULT_NAMESPACE);
  }
}
