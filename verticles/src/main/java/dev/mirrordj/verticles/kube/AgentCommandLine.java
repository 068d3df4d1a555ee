package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract between the agent pod we create and the agent image: the entry command, the {@code
 * agent} subcommand's arguments, and the environment variables that carry the remaining {@code
 * agent.*} options. conf/agent-image/ installs {@link #ENTRYPOINT}; a test checks the image's
 * entrypoint and these arguments against the real {@code agent} command line.
 */
public final class AgentCommandLine {
  /** Launcher installed by the agent image: {@code exec java … -jar mirrord-fat.jar agent "$@"}. */
  public static final String ENTRYPOINT = "/opt/mirrordj/bin/mirrord-agent";

  public static final String ENV_LOG_LEVEL = "MIRRORD_AGENT_LOG_LEVEL";
  public static final String ENV_JSON_LOG = "MIRRORD_AGENT_JSON_LOG";
  public static final String ENV_NFTABLES = "MIRRORD_AGENT_NFTABLES";
  public static final String ENV_FLUSH_CONNECTIONS = "MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS";
  public static final String ENV_NETWORK_INTERFACE = "MIRRORD_AGENT_NETWORK_INTERFACE";
  public static final String ENV_DNS_TIMEOUT = "MIRRORD_AGENT_DNS_TIMEOUT";
  public static final String ENV_DNS_ATTEMPTS = "MIRRORD_AGENT_DNS_ATTEMPTS";

  private AgentCommandLine() {}

  /** Arguments for an agent that serves from its own pod (no target). */
  public static List<String> targetless(AgentSettings s, int port) {
    List<String> args = common(s, port);
    args.add("--targetless");
    return args;
  }

  /**
   * Arguments for an agent Job on the target's node: it asks the runtime for the container's PID.
   */
  public static List<String> targeted(AgentSettings s, int port, ResolvedTarget target) {
    List<String> args = common(s, port);
    args.addAll(
        List.of(
            "--container-id",
            target.containerId(),
            "--container-runtime",
            target.runtime().wireName()));
    return args;
  }

  /**
   * Arguments for an ephemeral agent: with {@code targetContainerName} it shares the target
   * container's PID namespace, where the container's main process is PID 1.
   */
  public static List<String> ephemeral(AgentSettings s, int port) {
    List<String> args = common(s, port);
    args.addAll(List.of("--target-pid", "1"));
    return args;
  }

  private static List<String> common(AgentSettings s, int port) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port",
                Integer.toString(port),
                "--communication-timeout",
                Integer.toString(s.communicationTimeout())));
    if (s.idleTtl() > 0) {
      args.addAll(List.of("--idle-ttl", Integer.toString(s.idleTtl())));
    }
    return args;
  }

  /** The environment that carries the options without a command-line flag. */
  public static List<EnvVar> environment(AgentSettings s) {
    List<EnvVar> env = new ArrayList<>();
    env.add(var(ENV_LOG_LEVEL, s.logLevel()));
    env.add(var(ENV_JSON_LOG, Boolean.toString(s.jsonLog())));
    env.add(var(ENV_FLUSH_CONNECTIONS, Boolean.toString(s.flushConnections())));
    s.nftables().ifPresent(v -> env.add(var(ENV_NFTABLES, v.toString())));
    s.networkInterface().ifPresent(v -> env.add(var(ENV_NETWORK_INTERFACE, v)));
    s.dnsTimeout().ifPresent(v -> env.add(var(ENV_DNS_TIMEOUT, Integer.toString(v))));
    s.dnsAttempts().ifPresent(v -> env.add(var(ENV_DNS_ATTEMPTS, Integer.toString(v))));
    return env;
  }

  /**
   * Arguments for a local agent (a {@code pid/} target) beyond its port and target: the same {@code
   * agent.*} values a Job gets on its command line.
   */
  public static List<String> local(AgentSettings s) {
    return List.of("--communication-timeout", Integer.toString(s.communicationTimeout()));
  }

  /** {@link #environment} as a map, for a local agent's process environment. */
  public static java.util.Map<String, String> environmentMap(AgentSettings s) {
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    environment(s).forEach(v -> env.put(v.getName(), v.getValue()));
    return env;
  }

  private static EnvVar var(String name, String value) {
    return new EnvVar(name, value, null);
  }
}
