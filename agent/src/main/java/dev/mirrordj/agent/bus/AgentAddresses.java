package dev.mirrordj.agent.bus;

/**
 * Every event-bus address of the agent worker, in one place.
 *
 * <p>Naming convention: an address that a clustered operator may one day use between processes
 * starts with {@code mirrordj.agent.}; its messages implement {@link ClusterMessage} and travel
 * with a serializing codec. An address that only makes sense inside one worker JVM (its messages
 * carry object references: a session's sink, a service handle) starts with {@code
 * local.mirrordj.agent.} and its constant with {@code LOCAL_}; its messages implement {@link
 * LocalOnly}. The bus carries control; connection bytes never travel on it.
 */
public final class AgentAddresses {
  private AgentAddresses() {}

  // --- cluster-ready: control that may cross processes

  /** Request {@link AgentMessages.Subscribe} (steal mode); reply empty, or a failure with errno. */
  public static final String STEAL_SUBSCRIBE = "mirrordj.agent.steal.subscribe";

  /** Request {@link AgentMessages.Unsubscribe}; reply empty. */
  public static final String STEAL_UNSUBSCRIBE = "mirrordj.agent.steal.unsubscribe";

  /**
   * Request {@link AgentMessages.Subscribe} for a port the client already steals: the subscription
   * keeps its port and its place in the port's order and gets the message's filter (no rule
   * changes). Sent when a client subscribes a port it holds again.
   */
  public static final String STEAL_FILTER = "mirrordj.agent.steal.filter";

  /**
   * Published {@link AgentMessages.RulesChanged}: redirect rules installed or removed for a port.
   */
  public static final String STEAL_RULES = "mirrordj.agent.steal.rules";

  /**
   * Request {@link AgentMessages.Subscribe} (mirror mode); reply empty, or a failure with errno.
   */
  public static final String MIRROR_SUBSCRIBE = "mirrordj.agent.mirror.subscribe";

  /** Request {@link AgentMessages.Unsubscribe}; reply empty. */
  public static final String MIRROR_UNSUBSCRIBE = "mirrordj.agent.mirror.unsubscribe";

  /** Published {@link AgentMessages.CaptureChanged}: the ports the sniffer captures now. */
  public static final String MIRROR_CAPTURE = "mirrordj.agent.mirror.capture";

  /**
   * Published {@link AgentMessages.ClientGone}: a client session ended; every feature releases what
   * it held for that client (subscriptions, rules, open files, outgoing streams).
   */
  public static final String CLIENT_GONE = "mirrordj.agent.client.gone";

  // --- local only: hand a session the per-request service of a feature

  /** Request {@link AgentMessages.Attach}; reply a {@code session.FileSession}. */
  public static final String LOCAL_FILES_ATTACH = "local.mirrordj.agent.files.attach";

  /** Request {@link AgentMessages.Attach}; reply a {@code net.OutgoingService}. */
  public static final String LOCAL_OUTGOING_ATTACH = "local.mirrordj.agent.outgoing.attach";

  /** Request {@link AgentMessages.Attach}; reply a {@code dns.DnsLookups}. */
  public static final String LOCAL_DNS_ATTACH = "local.mirrordj.agent.dns.attach";

  /** Request {@link AgentMessages.Attach}; reply an {@code env.EnvironmentLookups}. */
  public static final String LOCAL_ENVIRONMENT_ATTACH = "local.mirrordj.agent.environment.attach";
}
