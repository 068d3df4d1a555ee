package dev.mirrordj.agent.bus;

import dev.mirrordj.agent.session.ClientSink;
import dev.mirrordj.protocol.WireReader;
import dev.mirrordj.protocol.WireWriter;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The typed messages of the agent worker's event bus (addresses in {@link AgentAddresses}). Cluster
 * messages serialize to JSON; local ones carry references and never leave the JVM. A failed request
 * is answered with {@code message.fail(errno, text)}: the errno is what the client gets in its
 * {@code ERROR} reply.
 */
public final class AgentMessages {
  private AgentMessages() {}

  /**
   * A client wants a pod port (mirror or steal: the address says which). Filters are fancy-regex
   * patterns, empty when unset; {@code matchAll}: both filters must match, else either; {@code
   * flushConnections}: reset connections established before the redirect (steal only).
   */
  public record Subscribe(
      String clientId,
      int port,
      String headerFilter,
      String pathFilter,
      boolean matchAll,
      boolean flushConnections,
      FilterSpec filter,
      long maxBodyBytes,
      long bodyTimeoutMillis)
      implements ClusterMessage {

    /** A subscription with at most a header and a path filter (no filter tree). */
    public Subscribe(
        String clientId,
        int port,
        String headerFilter,
        String pathFilter,
        boolean matchAll,
        boolean flushConnections) {
      this(
          clientId,
          port,
          headerFilter,
          pathFilter,
          matchAll,
          flushConnections,
          null,
          Incoming.Subscribe.DEFAULT_MAX_BODY_BYTES,
          Incoming.Subscribe.DEFAULT_BODY_TIMEOUT_MILLIS);
    }

    public boolean filtered() {
      return filter != null || !headerFilter.isEmpty() || !pathFilter.isEmpty();
    }

    /** The same subscription as the client's wire message, in the given mode. */
    public Incoming.Subscribe asProtocol(int mode) {
      return new Incoming.Subscribe(
          port,
          mode,
          headerFilter,
          pathFilter,
          matchAll,
          flushConnections,
          filter,
          maxBodyBytes,
          bodyTimeoutMillis);
    }

    @Override
    public JsonObject toJson() {
      JsonObject j =
          new JsonObject()
              .put("clientId", clientId)
              .put("port", port)
              .put("headerFilter", headerFilter)
              .put("pathFilter", pathFilter)
              .put("matchAll", matchAll)
              .put("flushConnections", flushConnections)
              .put("maxBodyBytes", maxBodyBytes)
              .put("bodyTimeoutMillis", bodyTimeoutMillis);
      if (filter != null) {
        // the filter tree crosses processes in its wire encoding, the one the client sent
        WireWriter w = new WireWriter();
        filter.encode(w);
        j.put("filter", w.buffer().getBytes());
      }
      return j;
    }

    public static Subscribe fromJson(JsonObject j) {
      byte[] tree = j.getBinary("filter");
      return new Subscribe(
          j.getString("clientId"),
          j.getInteger("port"),
          j.getString("headerFilter", ""),
          j.getString("pathFilter", ""),
          j.getBoolean("matchAll", false),
          j.getBoolean("flushConnections", false),
          tree == null ? null : FilterSpec.decode(new WireReader(Buffer.buffer(tree))),
          j.getLong("maxBodyBytes", Incoming.Subscribe.DEFAULT_MAX_BODY_BYTES),
          j.getLong("bodyTimeoutMillis", Incoming.Subscribe.DEFAULT_BODY_TIMEOUT_MILLIS));
    }
  }

  /** A client gives a port back. */
  public record Unsubscribe(String clientId, int port) implements ClusterMessage {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("clientId", clientId).put("port", port);
    }

    public static Unsubscribe fromJson(JsonObject j) {
      return new Unsubscribe(j.getString("clientId"), j.getInteger("port"));
    }
  }

  /** A client session ended; {@code reason} is for the logs. */
  public record ClientGone(String clientId, String reason) implements ClusterMessage {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("clientId", clientId).put("reason", reason);
    }

    public static ClientGone fromJson(JsonObject j) {
      return new ClientGone(j.getString("clientId"), j.getString("reason", ""));
    }
  }

  /** The redirect rules of {@code port} were installed ({@code installed}) or removed. */
  public record RulesChanged(int port, boolean installed) implements ClusterMessage {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("port", port).put("installed", installed);
    }

    public static RulesChanged fromJson(JsonObject j) {
      return new RulesChanged(j.getInteger("port"), j.getBoolean("installed"));
    }
  }

  /** The sniffer on {@code interfaceName} now captures exactly {@code ports} (empty: stopped). */
  public record CaptureChanged(String interfaceName, List<Integer> ports)
      implements ClusterMessage {
    public CaptureChanged {
      ports = List.copyOf(ports);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("interface", interfaceName).put("ports", new JsonArray(ports));
    }

    public static CaptureChanged fromJson(JsonObject j) {
      List<Integer> ports =
          j.getJsonArray("ports").stream().map(p -> ((Number) p).intValue()).toList();
      return new CaptureChanged(j.getString("interface"), ports);
    }
  }

  /**
   * A session introduces itself to a feature and asks for its per-request service; {@code sink} is
   * where the feature's replies and notices for this client go.
   */
  public record Attach(String clientId, String label, ClientSink sink) implements LocalOnly {}
}
