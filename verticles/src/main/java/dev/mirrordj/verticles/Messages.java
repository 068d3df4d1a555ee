package dev.mirrordj.verticles;

import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.WireReader;
import dev.mirrordj.protocol.WireWriter;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.buffer.Buffer;
import java.util.Base64;
import java.util.Map;

/**
 * The typed messages of the local side's event bus, one record per kind, next to {@link Addresses}.
 * Records under "cluster-ready" are serialized as JSON by their codecs and may cross processes;
 * records marked {@link LocalOnly} are passed by reference inside this JVM and their codecs refuse
 * the wire.
 */
public final class Messages {
  private Messages() {}

  /** Marks a message that never leaves the JVM (its codec does not serialize). */
  @java.lang.annotation.Documented
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
  public @interface LocalOnly {}

  // --- cluster-ready ---

  /**
   * The agent connection's state on {@link Addresses#AGENT_STATE}.
   *
   * @param state what happened
   * @param detail connected: a description of the agent ("agent at 127.0.0.1:7777 (version
   *     0.1.0)"); lost: the reason; closed: empty
   */
  public record AgentState(State state, String detail) {
    public enum State {
      /** The handshake succeeded; requests are served. */
      CONNECTED,
      /** The connection broke (closed, heartbeat timeout, protocol error); never comes back. */
      LOST,
      /** The session ended it on purpose. */
      CLOSED
    }
  }

  /** The pod's environment variables (reply on {@link Addresses#AGENT_ENVIRONMENT}). */
  public record PodEnvironment(Map<String, String> variables) {
    public PodEnvironment {
      // keeps the pod's order: the program sees its variables as the pod lists them
      variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
    }
  }

  /**
   * Subscribe a pod port and deliver its connections to {@code deliverHost}:{@code deliverPort}
   * (the program's listener, reached from the JVM that holds the agent connection). Carries the
   * whole wire subscription, filter tree and body limits included, so what the configuration asks
   * for is what the agent gets.
   *
   * @param mode {@code dev.mirrordj.protocol.incoming.Incoming.MODE_MIRROR} or {@code MODE_STEAL}
   * @param filterTree method/body/all_of/any_of filters in the agent protocol's encoding, base64;
   *     empty when the subscription has at most a header and a path filter
   */
  public record IncomingSubscribe(
      int port,
      int mode,
      String headerFilter,
      String pathFilter,
      boolean matchAll,
      boolean flushConnections,
      String filterTree,
      long maxBodyBytes,
      long bodyTimeoutMillis,
      String deliverHost,
      int deliverPort) {

    public static IncomingSubscribe of(Incoming.Subscribe s, String deliverHost, int deliverPort) {
      String tree = "";
      if (s.filter() != null) {
        WireWriter w = new WireWriter();
        s.filter().encode(w);
        tree = Base64.getEncoder().encodeToString(w.buffer().getBytes());
      }
      return new IncomingSubscribe(
          s.port(),
          s.mode(),
          s.headerFilter(),
          s.pathFilter(),
          s.matchAll(),
          s.flushConnections(),
          tree,
          s.maxBodyBytes(),
          s.bodyTimeoutMillis(),
          deliverHost,
          deliverPort);
    }

    /** The subscription as the agent protocol sends it. */
    public Incoming.Subscribe asProtocol() {
      FilterSpec filter =
          filterTree.isEmpty()
              ? null
              : FilterSpec.decode(
                  new WireReader(Buffer.buffer(Base64.getDecoder().decode(filterTree))));
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
  }

  /** Drop the subscription of a pod port. */
  public record IncomingUnsubscribe(int port) {}

  // --- local only ---

  /**
   * What the proxy serves layer requests through: the agent connection as a {@link RemoteTarget} (a
   * direct reference: per-request traffic does not cross the bus).
   *
   * @param description for progress output
   * @param incoming whether this connection can subscribe incoming traffic
   */
  @LocalOnly
  public record AgentHandle(RemoteTarget target, String description, boolean incoming) {}

  /**
   * Process {@code pid} listens on {@code bound} after asking to bind {@code requestedPort} (they
   * differ under listen_ports).
   */
  @LocalOnly
  public record Listen(int pid, SockAddr bound, int requestedPort) {}

  /** A bind of {@code requested} found the local port busy. */
  @LocalOnly
  public record BindBusy(SockAddr requested) {}

  /** The last descriptor of process {@code pid}'s listener on {@code bound} closed. */
  @LocalOnly
  public record ListenerClosed(int pid, SockAddr bound) {}

  /** Process {@code pid}'s last layer connection closed (it ended or exec'd without the layer). */
  @LocalOnly
  public record ProcessGone(int pid) {}

  /** listen_ports as requested port → local port. */
  @LocalOnly
  public record ListenPorts(Map<Integer, Integer> requestedToLocal) {
    public ListenPorts {
      requestedToLocal = Map.copyOf(requestedToLocal);
    }
  }

  /** The proxy gave up: no layer connected within start_idle_timeout ({@code reason} says so). */
  @LocalOnly
  public record ProxyIdle(String reason) {}

  /** One line the user must read on stderr, whatever the progress mode. */
  @LocalOnly
  public record UserNotice(String line) {}

  /** The session was ended from the other side, for {@code reason}. */
  @LocalOnly
  public record SessionEnded(String reason) {}

  /**
   * A progress event. Tasks are named by ids unique in the JVM; the root task has id {@link #ROOT}.
   */
  public sealed interface ProgressEvent {
    String ROOT = "root";

    @LocalOnly
    record TaskStarted(String id, String parent, String name) implements ProgressEvent {}

    /** {@code message} may be null. */
    @LocalOnly
    record TaskFinished(String id, boolean success, String message) implements ProgressEvent {}

    @LocalOnly
    record Warning(String task, String message) implements ProgressEvent {}

    @LocalOnly
    record Info(String task, String message) implements ProgressEvent {}

    /** Sent as a request: the reply comes once every earlier event is rendered. */
    @LocalOnly
    record Flush() implements ProgressEvent {}
  }
}
