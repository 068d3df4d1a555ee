package dev.mirrordj.verticles;

/**
 * Every event-bus address of the local side ({@code run}/{@code exec} JVM), in one place. The
 * message each address carries is a record in {@link Messages} (or {@link
 * dev.mirrordj.verticles.config.ResolvedConfig}); {@link dev.mirrordj.verticles.bus.Codecs}
 * registers a codec for each.
 *
 * <p>Two kinds of address, told apart by name:
 *
 * <ul>
 *   <li>{@code LOCAL_*} (strings under {@code mirrord.local.}): the message never leaves this JVM.
 *       It may carry object references (a {@code RemoteTarget}, a layer {@code SockAddr}) and its
 *       codec refuses to serialize.
 *   <li>the others: messages a future clustered mode (the operator) sends between processes —
 *       sessions, subscriptions, agent state, configuration. Their codecs serialize (JSON), so the
 *       same address works on a clustered event bus.
 * </ul>
 *
 * <p>Control over the bus, bytes on sockets: these addresses carry control and small messages.
 * Connection payloads (layer requests, outgoing and incoming connections, file contents) stay on
 * the layer socket and on NetSocket pipes; the bus only sets them up.
 */
public final class Addresses {

  // --- configuration (ConfigVerticle) ---

  /**
   * Published once by the config verticle: a {@link dev.mirrordj.verticles.config.ResolvedConfig}.
   */
  public static final String CONFIG_RESOLVED = "mirrord.config.resolved";

  /**
   * Request/reply: any body (null is fine) gets the {@link
   * dev.mirrordj.verticles.config.ResolvedConfig} as reply.
   */
  public static final String CONFIG_GET = "mirrord.config.get";

  // --- the agent connection (AgentLinkVerticle) ---

  /** Published by the agent link on every change: {@link Messages.AgentState}. */
  public static final String AGENT_STATE = "mirrord.agent.state";

  /**
   * Request/reply: any body gets the pod's environment as {@code feature.env} selects it ({@link
   * Messages.PodEnvironment}).
   */
  public static final String AGENT_ENVIRONMENT = "mirrord.agent.environment";

  /**
   * Request/reply: {@link Messages.IncomingSubscribe}; the reply (null body) comes once the agent
   * accepted the subscription, a failure carries the agent's reason.
   */
  public static final String AGENT_INCOMING_SUBSCRIBE = "mirrord.agent.incoming.subscribe";

  /** Request/reply: {@link Messages.IncomingUnsubscribe}; null reply when done. */
  public static final String AGENT_INCOMING_UNSUBSCRIBE = "mirrord.agent.incoming.unsubscribe";

  /**
   * Local request/reply: any body gets {@link Messages.AgentHandle}, the in-JVM handle the proxy
   * serves layer requests through (the hot path does not cross the bus).
   */
  public static final String LOCAL_AGENT_HANDLE = "mirrord.local.agent.handle";

  /**
   * Local request/reply (feature.env.load_from_process): any body gets the variables a starting
   * program takes from the pod ({@link Messages.PodEnvironment}, unset already applied).
   */
  public static final String LOCAL_PROGRAM_ENVIRONMENT = "mirrord.local.program.environment";

  // --- layer events from the proxy (ProxyVerticle → IncomingVerticle) ---

  /**
   * Local request/reply: a process under the layer listens ({@link Messages.Listen}); the empty
   * reply comes once the listener's subscription is settled at the agent (at once when it stays
   * local). No consumer (incoming off) means nothing to wait for.
   */
  public static final String LOCAL_INCOMING_LISTEN = "mirrord.local.incoming.listen";

  /**
   * Local request/reply: {@link Messages.BindBusy}; the reply is a {@code Boolean}, true when the
   * listener would be subscribed (then a busy local port may move). No consumer means false.
   */
  public static final String LOCAL_INCOMING_BIND_BUSY = "mirrord.local.incoming.bind-busy";

  /**
   * Local send: the last descriptor of a reported listener closed ({@link
   * Messages.ListenerClosed}).
   */
  public static final String LOCAL_INCOMING_LISTENER_CLOSED =
      "mirrord.local.incoming.listener-closed";

  /** Local publish: a process's last layer connection closed ({@link Messages.ProcessGone}). */
  public static final String LOCAL_LAYER_PROCESS_GONE = "mirrord.local.layer.process-gone";

  /**
   * Local request/reply: {@link Messages.ListenPorts} for the proxy to hand to every layer in its
   * Hello (feature.network.incoming.listen_ports); null reply once stored.
   */
  public static final String LOCAL_PROXY_LISTEN_PORTS = "mirrord.local.proxy.listen-ports";

  /** Local publish: the proxy stopped waiting for layers ({@link Messages.ProxyIdle}). */
  public static final String LOCAL_PROXY_IDLE = "mirrord.local.proxy.idle";

  // --- what the user sees (ProgressVerticle) ---

  /**
   * Local send: a {@link Messages.ProgressEvent}; a {@link Messages.ProgressEvent.Flush} is a
   * request answered once every earlier event is rendered.
   */
  public static final String LOCAL_PROGRESS = "mirrord.local.progress";

  /** Local send: a {@link Messages.UserNotice}, one line for stderr whatever the progress mode. */
  public static final String LOCAL_USER_NOTICE = "mirrord.local.user.notice";

  /**
   * Local publish: the session ended from the other side (an operator session closed by its node, a
   * kill, an override): {@link Messages.SessionEnded}. `run` stops the program, since the session
   * it runs in is gone.
   */
  public static final String LOCAL_SESSION_ENDED = "mirrord.local.session.ended";

  private Addresses() {}
}
