package dev.mirrordj.config.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.Problems;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code MIRRORD_*} environment variables that override configuration fields (mirrord's names),
 * and how their text becomes a value. Command-line flags are expressed as the same variables (as
 * mirrord does), so both go through {@link #apply}: environment first, then flags, each replacing
 * one leaf of the expanded configuration tree. Range and enum checks happen later, in the binder,
 * with the field's JSON path.
 */
public final class EnvOverrides {
  /** How a variable's text is read. */
  public enum Kind {
    STRING,
    BOOL,
    INT,
    LIST,
    PORT_LIST,
    STEAL
  }

  /** One overridable field. */
  public record Entry(String variable, String path, Kind kind) {}

  public static final List<Entry> ENTRIES =
      List.of(
          new Entry(
              "MIRRORD_ACCEPT_INVALID_CERTIFICATES", "accept_invalid_certificates", Kind.BOOL),
          new Entry("MIRRORD_SKIP_PROCESSES", "skip_processes", Kind.LIST),
          new Entry("MIRRORD_SKIP_BUILD_TOOLS", "skip_build_tools", Kind.BOOL),
          new Entry("MIRRORD_OPERATOR_ENABLE", "operator", Kind.BOOL),
          new Entry("MIRRORD_TELEMETRY", "telemetry", Kind.BOOL),
          new Entry("MIRRORD_PROXY", "use_proxy", Kind.BOOL),
          new Entry("MIRRORD_KUBECONFIG", "kubeconfig", Kind.STRING),
          new Entry("MIRRORD_KUBE_CONTEXT", "kube_context", Kind.STRING),
          new Entry("MIRRORD_IMPERSONATED_TARGET", "target.path", Kind.STRING),
          new Entry("MIRRORD_TARGET_NAMESPACE", "target.namespace", Kind.STRING),
          new Entry("MIRRORD_AGENT_RUST_LOG", "agent.log_level", Kind.STRING),
          new Entry("MIRRORD_AGENT_JSON_LOG", "agent.json_log", Kind.BOOL),
          new Entry("MIRRORD_AGENT_NAMESPACE", "agent.namespace", Kind.STRING),
          new Entry("MIRRORD_AGENT_IMAGE", "agent.image", Kind.STRING),
          new Entry("MIRRORD_AGENT_IMAGE_PULL_POLICY", "agent.image_pull_policy", Kind.STRING),
          new Entry("MIRRORD_AGENT_TTL", "agent.ttl", Kind.INT),
          new Entry("MIRRORD_EPHEMERAL_CONTAINER", "agent.ephemeral", Kind.BOOL),
          new Entry("MIRRORD_AGENT_COMMUNICATION_TIMEOUT", "agent.communication_timeout", Kind.INT),
          new Entry("MIRRORD_AGENT_STARTUP_TIMEOUT", "agent.startup_timeout", Kind.INT),
          new Entry(
              "MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS", "agent.flush_connections", Kind.BOOL),
          new Entry("MIRRORD_AGENT_NFTABLES", "agent.nftables", Kind.BOOL),
          new Entry("MIRRORD_OVERRIDE_ENV_VARS_INCLUDE", "feature.env.include", Kind.LIST),
          new Entry("MIRRORD_OVERRIDE_ENV_VARS_EXCLUDE", "feature.env.exclude", Kind.LIST),
          new Entry("MIRRORD_ENV_LOAD_FROM_PROCESS", "feature.env.load_from_process", Kind.BOOL),
          new Entry("MIRRORD_FILE_MODE", "feature.fs.mode", Kind.STRING),
          new Entry("MIRRORD_FILE_READ_WRITE_PATTERN", "feature.fs.read_write", Kind.LIST),
          new Entry("MIRRORD_FILE_READ_ONLY_PATTERN", "feature.fs.read_only", Kind.LIST),
          new Entry("MIRRORD_FILE_LOCAL_PATTERN", "feature.fs.local", Kind.LIST),
          new Entry("MIRRORD_AGENT_TCP_STEAL_TRAFFIC", "feature.network.incoming.mode", Kind.STEAL),
          new Entry(
              "MIRRORD_OPERATOR_ON_CONCURRENT_STEAL",
              "feature.network.incoming.on_concurrent_steal",
              Kind.STRING),
          new Entry(
              "MIRRORD_HTTP_HEADER_FILTER",
              "feature.network.incoming.http_filter.header_filter",
              Kind.STRING),
          new Entry(
              "MIRRORD_HTTP_PATH_FILTER",
              "feature.network.incoming.http_filter.path_filter",
              Kind.STRING),
          new Entry(
              "MIRRORD_HTTP_FILTER_PORTS",
              "feature.network.incoming.http_filter.ports",
              Kind.PORT_LIST),
          new Entry("MIRRORD_TCP_OUTGOING", "feature.network.outgoing.tcp", Kind.BOOL),
          new Entry("MIRRORD_UDP_OUTGOING", "feature.network.outgoing.udp", Kind.BOOL),
          new Entry(
              "MIRRORD_OUTGOING_REMOTE_UNIX_STREAMS",
              "feature.network.outgoing.unix_streams",
              Kind.LIST),
          new Entry("MIRRORD_REMOTE_DNS", "feature.network.dns.enabled", Kind.BOOL));

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private EnvOverrides() {}

  /**
   * The variable that overrides the field at {@code path} (e.g. MIRRORD_FILE_MODE for
   * feature.fs.mode).
   */
  public static String variableFor(String path) {
    return ENTRIES.stream()
        .filter(e -> e.path().equals(path))
        .map(Entry::variable)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variable overrides " + path));
  }

  /** The variable names this table knows (e.g. for vertx-config's env store {@code keys}). */
  public static List<String> variables() {
    return ENTRIES.stream().map(Entry::variable).toList();
  }

  /**
   * Converts the known variables present in {@code vars} into (path → value) leaves; a value that
   * cannot be read is reported as "invalid NAME value '...'" and skipped.
   */
  public static Map<String, JsonNode> leaves(Map<String, String> vars, Problems problems) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Entry e : ENTRIES) {
      String raw = vars.get(e.variable());
      if (raw == null) {
        continue;
      }
      JsonNode value = convert(e, raw, problems);
      if (value != null) {
        out.put(e.path(), value);
      }
    }
    return out;
  }

  /**
   * Sets each leaf in the (expanded) tree; a path through a non-object is left for the binder to
   * report.
   */
  public static void apply(ObjectNode tree, Map<String, JsonNode> leaves) {
    for (Map.Entry<String, JsonNode> leaf : leaves.entrySet()) {
      String[] parts = leaf.getKey().split("\\.");
      ObjectNode cursor = tree;
      boolean reachable = true;
      for (int i = 0; i < parts.length - 1 && reachable; i++) {
        JsonNode next = cursor.get(parts[i]);
        if (next == null || next.isNull()) {
          cursor = cursor.putObject(parts[i]);
        } else if (next instanceof ObjectNode obj) {
          cursor = obj;
        } else {
          reachable = false;
        }
      }
      if (reachable) {
        cursor.set(parts[parts.length - 1], leaf.getValue());
      }
    }
  }

  private static JsonNode convert(Entry e, String raw, Problems problems) {
    String text = raw.trim();
    switch (e.kind()) {
      case STRING:
        return F.textNode(raw);
      case LIST:
        return list(text);
      case BOOL:
        {
          String lower = text.toLowerCase(Locale.ROOT);
          if (lower.equals("true") || lower.equals("false")) {
            return F.booleanNode(lower.equals("true"));
          }
          problems.error(
              e.path(),
              raw,
              "invalid " + e.variable() + " value '" + raw + "': expected true or false");
          return null;
        }
      case INT:
        try {
          return F.numberNode(Long.parseLong(text));
        } catch (NumberFormatException ex) {
          problems.error(
              e.path(),
              raw,
              "invalid " + e.variable() + " value '" + raw + "': expected an integer");
          return null;
        }
      case PORT_LIST:
        {
          ArrayNode ports = F.arrayNode();
          for (String p : text.split("[;,]")) {
            if (p.isBlank()) {
              continue;
            }
            try {
              ports.add(Long.parseLong(p.trim()));
            } catch (NumberFormatException ex) {
              problems.error(
                  e.path(),
                  raw,
                  "invalid "
                      + e.variable()
                      + " value '"
                      + raw
                      + "': expected ports separated by ';' or ','");
              return null;
            }
          }
          return ports;
        }
      case STEAL:
        {
          // mirrord: true means steal, false means off, or a mode name.
          String lower = text.toLowerCase(Locale.ROOT);
          return F.textNode(
              switch (lower) {
                case "true" -> "steal";
                case "false" -> "off";
                default -> lower;
              });
        }
      default:
        throw new IllegalStateException(e.kind().toString());
    }
  }

  private static ArrayNode list(String text) {
    ArrayNode arr = F.arrayNode();
    Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).forEach(arr::add);
    return arr;
  }
}
