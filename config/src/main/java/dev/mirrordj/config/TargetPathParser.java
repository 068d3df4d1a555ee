package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.ConfigValueException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/** Reads target paths in the string form ({@code pod/x/container/y}) and the object form. */
final class TargetPathParser {
  static final String ACCEPTED =
      "accepted: pod/<pod>[/container/<c>], podname/<pod>[/container/<c>], "
          + "deployment/<deployment>[/container/<c>], container/<container>, containername/<container>, "
          + "job/<job>[/container/<c>] (needs feature.copy_target), pid/<local pid>[/container/<c>], targetless";

  /** The string forms as a regex, for the JSON Schema. */
  static final String STRING_PATTERN =
      "^(targetless|(pod|podname|deployment|deploy|job)/[^/]+(/container/[^/]+)?"
          + "|(container|containername)/[^/]+|pid/[0-9]+(/container/[^/]+)?)$";

  private static final Set<String> OBJECT_KEYS =
      Set.of("pod", "deployment", "job", "container", "pid");

  /**
   * mirrord target kinds this implementation does not offer; named in the error instead of "add a
   * prefix".
   */
  private static final Set<String> MIRRORD_ONLY_KINDS =
      Set.of("rollout", "statefulset", "cronjob", "service", "replicaset", "label");

  private TargetPathParser() {}

  static TargetPath parse(JsonNode node) throws ConfigValueException {
    if (node.isTextual()) {
      return parseString(node.textValue());
    }
    if (node.isObject()) {
      return parseObject(node);
    }
    throw new ConfigValueException("expected a target path string or object; " + ACCEPTED);
  }

  static TargetPath parseString(String raw) throws ConfigValueException {
    String s = raw.trim();
    if (s.equals("targetless")) {
      return new TargetPath.Targetless();
    }
    String[] parts = s.split("/", -1);
    for (String p : parts) {
      if (p.isEmpty()) {
        throw unsupported(raw);
      }
    }
    Optional<String> container = Optional.empty();
    if (parts.length == 4 && parts[2].equals("container")) {
      container = Optional.of(parts[3]);
    } else if (parts.length != 2) {
      throw unsupported(raw);
    }
    String kind = parts[0];
    String name = parts[1];
    return switch (kind) {
      case "pod", "podname" -> new TargetPath.Pod(name, container);
      case "deployment", "deploy" -> new TargetPath.Deployment(name, container);
      case "job" -> new TargetPath.Job(name, container);
      case "container", "containername" -> {
        if (container.isPresent()) {
          throw unsupported(raw);
        }
        yield new TargetPath.Container(name);
      }
      case "pid" -> new TargetPath.Pid(parsePid(name, raw), container);
      default -> throw unsupported(raw);
    };
  }

  private static long parsePid(String text, String raw) throws ConfigValueException {
    try {
      long pid = Long.parseLong(text);
      if (pid > 0 && pid <= Integer.MAX_VALUE) {
        return pid;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigValueException(
        "invalid target '" + raw + "': the pid must be a positive integer; " + ACCEPTED);
  }

  private static TargetPath parseObject(JsonNode node) throws ConfigValueException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!OBJECT_KEYS.contains(key)) {
        throw new ConfigValueException(
            "unknown key `"
                + key
                + "` in target path object; expected one of "
                + "pod, deployment, job, pid (each with optional container), or container alone");
      }
      if (!key.equals("pid") && !node.get(key).isTextual()) {
        throw new ConfigValueException("target path `" + key + "` must be a string");
      }
    }
    Optional<String> container =
        Optional.ofNullable(node.get("container")).map(JsonNode::textValue);
    int kinds = 0;
    TargetPath result = null;
    if (node.has("pod")) {
      kinds++;
      result = new TargetPath.Pod(node.get("pod").textValue(), container);
    }
    if (node.has("deployment")) {
      kinds++;
      result = new TargetPath.Deployment(node.get("deployment").textValue(), container);
    }
    if (node.has("job")) {
      kinds++;
      result = new TargetPath.Job(node.get("job").textValue(), container);
    }
    if (node.has("pid")) {
      kinds++;
      JsonNode pid = node.get("pid");
      if (!pid.canConvertToLong() || !pid.isIntegralNumber() || pid.longValue() <= 0) {
        throw new ConfigValueException("target path `pid` must be a positive integer");
      }
      result = new TargetPath.Pid(pid.longValue(), container);
    }
    if (kinds > 1) {
      throw new ConfigValueException(
          "a target path object names exactly one of pod, deployment, job, pid");
    }
    if (result == null && container.isPresent()) {
      result = new TargetPath.Container(container.get());
    }
    if (result == null) {
      throw new ConfigValueException("empty target path object; " + ACCEPTED);
    }
    return result;
  }

  private static ConfigValueException unsupported(String raw) {
    String s = raw.trim();
    if (s.isEmpty()) {
      return new ConfigValueException("invalid target provided: the target is empty; " + ACCEPTED);
    }
    if (!s.contains("/")) {
      // mirrord's wording for the most common mistake: a bare pod name.
      return new ConfigValueException(
          "invalid target provided: '"
              + raw
              + "' is unsupported. Did you "
              + "remember to add a prefix, e.g. pod/"
              + raw
              + "? "
              + ACCEPTED);
    }
    String kind = s.substring(0, s.indexOf('/'));
    if (MIRRORD_ONLY_KINDS.contains(kind)) {
      return new ConfigValueException(
          "invalid target provided: target type '"
              + kind
              + "' is not supported by mirrordj; "
              + ACCEPTED);
    }
    return new ConfigValueException(
        "invalid target provided: '"
            + raw
            + "' is unsupported; expected "
            + "<type>/<name> with an optional /container/<name>; "
            + ACCEPTED);
  }

  static ObjectNode jsonSchema() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode string = f.objectNode().put("type", "string").put("pattern", STRING_PATTERN);
    ObjectNode object = f.objectNode().put("type", "object").put("additionalProperties", false);
    ObjectNode props = object.putObject("properties");
    for (String k : new String[] {"pod", "deployment", "job", "container"}) {
      props.putObject(k).put("type", "string");
    }
    props.putObject("pid").put("type", "integer").put("minimum", 1);
    ObjectNode schema = f.objectNode().put("description", ACCEPTED);
    schema.putArray("oneOf").add(string).add(object);
    return schema;
  }
}
