package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.ConfigValue;
import dev.mirrordj.config.bind.ConfigValueException;
import java.util.Optional;

/**
 * What the session impersonates: a pod, deployment, container, job, a local process ({@code pid/},
 * our addition for running without a cluster), or nothing ({@code targetless}). {@link #render()}
 * is the canonical string form; {@link TargetPathParser} reads both the string and the object form.
 */
public sealed interface TargetPath extends ConfigValue
    permits TargetPath.Pod,
        TargetPath.Deployment,
        TargetPath.Container,
        TargetPath.Job,
        TargetPath.Pid,
        TargetPath.Targetless {

  /** The string form, e.g. {@code pod/x/container/y}, {@code pid/123}, {@code targetless}. */
  String render();

  /** The container inside the target, if one was named. */
  Optional<String> container();

  @Override
  default JsonNode toConfig() {
    return JsonNodeFactory.instance.textNode(render());
  }

  /** Parses the string form or the object form ({@code {"pod": "x", "container": "y"}}). */
  static TargetPath fromConfig(JsonNode node) throws ConfigValueException {
    return TargetPathParser.parse(node);
  }

  /** Parses the string form. */
  static TargetPath parse(String path) throws ConfigValueException {
    return TargetPathParser.parseString(path);
  }

  static ObjectNode jsonSchema() {
    return TargetPathParser.jsonSchema();
  }

  private static String withContainer(String base, Optional<String> container) {
    return container.map(c -> base + "/container/" + c).orElse(base);
  }

  record Pod(String name, Optional<String> container) implements TargetPath {
    @Override
    public String render() {
      return withContainer("pod/" + name, container);
    }
  }

  record Deployment(String name, Optional<String> container) implements TargetPath {
    @Override
    public String render() {
      return withContainer("deployment/" + name, container);
    }
  }

  /** {@code container/<name>}: the pod is found by the container's name. */
  record Container(String name) implements TargetPath {
    @Override
    public String render() {
      return "container/" + name;
    }

    @Override
    public Optional<String> container() {
      return Optional.of(name);
    }
  }

  /** {@code job/<name>}: only valid together with {@code feature.copy_target}. */
  record Job(String name, Optional<String> container) implements TargetPath {
    @Override
    public String render() {
      return withContainer("job/" + name, container);
    }
  }

  /** A local process as the target (no cluster needed): {@code pid/<pid>}. */
  record Pid(long pid, Optional<String> container) implements TargetPath {
    @Override
    public String render() {
      return withContainer("pid/" + pid, container);
    }
  }

  /** No target: the agent runs in its own pod; incoming traffic cannot be stolen. */
  record Targetless() implements TargetPath {
    @Override
    public String render() {
      return "targetless";
    }

    @Override
    public Optional<String> container() {
      return Optional.empty();
    }
  }
}
