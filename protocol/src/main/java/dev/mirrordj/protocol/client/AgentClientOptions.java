package dev.mirrordj.protocol.client;

import java.time.Duration;

/**
 * Tunables of {@link AgentClient}; defaults suit a proxy talking to an agent over a port-forward.
 */
public final class AgentClientOptions {
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration heartbeatInterval = Duration.ofSeconds(5);
  private Duration heartbeatTimeout = Duration.ofSeconds(20);
  private String clientName = "mirrordj";
  private dev.mirrordj.protocol.Message preamble;
  private java.util.function.Consumer<String> noticeHandler = text -> {};
  private dev.mirrordj.protocol.auth.SharedSecret secret;

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Nothing received from the agent for this long means it is lost. */
  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  public String clientName() {
    return clientName;
  }

  public AgentClientOptions connectTimeout(Duration d) {
    connectTimeout = d;
    return this;
  }

  public AgentClientOptions heartbeatInterval(Duration d) {
    heartbeatInterval = d;
    return this;
  }

  public AgentClientOptions heartbeatTimeout(Duration d) {
    heartbeatTimeout = d;
    return this;
  }

  public AgentClientOptions clientName(String n) {
    clientName = n;
    return this;
  }

  /**
   * A request sent and answered before the version handshake (an operator's {@code OperatorHello});
   * null for none.
   */
  public dev.mirrordj.protocol.Message preamble() {
    return preamble;
  }

  public AgentClientOptions preamble(dev.mirrordj.protocol.Message m) {
    preamble = m;
    return this;
  }

  /** Receives the lines the peer sends for the user ({@code Notice}), on the client's context. */
  public java.util.function.Consumer<String> noticeHandler() {
    return noticeHandler;
  }

  public AgentClientOptions noticeHandler(java.util.function.Consumer<String> h) {
    noticeHandler = h;
    return this;
  }

  /** The secret to prove before anything else on the connection; null: prove nothing. */
  public dev.mirrordj.protocol.auth.SharedSecret secret() {
    return secret;
  }

  public AgentClientOptions secret(dev.mirrordj.protocol.auth.SharedSecret s) {
    secret = s;
    return this;
  }
}
