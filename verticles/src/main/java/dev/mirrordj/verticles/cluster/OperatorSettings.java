package dev.mirrordj.verticles.cluster;

import java.time.Duration;
import java.util.List;

/**
 * How one operator node runs.
 *
 * @param host the address the node binds and announces (127.0.0.1 for local use, the pod IP in a
 *     cluster)
 * @param port where clients open sessions (agent protocol framing, operator handshake first)
 * @param httpPort the status page and JSON API
 * @param clusterPort Hazelcast's member port (0: Hazelcast's default, 5701)
 * @param members other nodes' HOST:CLUSTER_PORT for a TCP-IP join; empty with {@code
 *     kubernetesService} set means Kubernetes discovery, empty otherwise means a single node
 * @param kubernetesService the operator's Service name for Hazelcast's Kubernetes discovery, or ""
 * @param agentCommand the command line that runs this program (its {@code agent} subcommand starts
 *     local agents)
 * @param agentTtl how long a target's agent outlives its last session
 * @param agentStartup how long a local agent may take to be ready
 */
public record OperatorSettings(
    String host,
    int port,
    int httpPort,
    int clusterPort,
    List<String> members,
    String kubernetesService,
    List<String> agentCommand,
    Duration agentTtl,
    Duration agentStartup) {

  public OperatorSettings {
    members = List.copyOf(members);
    agentCommand = List.copyOf(agentCommand);
  }

  /** What clients connect to: HOST:PORT. */
  public String sessionAddress() {
    return host + ":" + port;
  }
}
