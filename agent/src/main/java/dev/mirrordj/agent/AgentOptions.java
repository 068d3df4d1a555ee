package dev.mirrordj.agent;

import java.time.Duration;

/**
 * How the agent worker runs. {@code runtimeEnv} holds {@code KEY=value} entries the container
 * runtime reported for the target; /proc/&lt;pid&gt;/environ values win over them. {@code
 * listenHost} null means all interfaces of the agent's own network namespace ("::" dual stack,
 * falling back to "0.0.0.0"). {@code secret} (null: none) is what every client must prove it holds
 * before it is served.
 */
public record AgentOptions(
    String listenHost,
    int port,
    Duration communicationTimeout,
    Duration idleTtl,
    Long targetPid,
    String version,
    java.util.List<String> runtimeEnv,
    dev.mirrordj.protocol.auth.SharedSecret secret) {

  /** Without a secret: every client that reaches the port is served. */
  public AgentOptions(
      String listenHost,
      int port,
      Duration communicationTimeout,
      Duration idleTtl,
      Long targetPid,
      String version,
      java.util.List<String> runtimeEnv) {
    this(listenHost, port, communicationTimeout, idleTtl, targetPid, version, runtimeEnv, null);
  }

  /** Without environment from a container runtime. */
  public AgentOptions(
      String listenHost,
      int port,
      Duration communicationTimeout,
      Duration idleTtl,
      Long targetPid,
      String version) {
    this(listenHost, port, communicationTimeout, idleTtl, targetPid, version, java.util.List.of());
  }

  public AgentOptions {
    runtimeEnv = java.util.List.copyOf(runtimeEnv);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    if (communicationTimeout.isNegative() || idleTtl.isNegative()) {
      throw new IllegalArgumentException(
          "--communication-timeout and --idle-ttl must be >= 0 seconds");
    }
  }
}
