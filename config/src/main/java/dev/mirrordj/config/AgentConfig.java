package dev.mirrordj.config;

import dev.mirrordj.config.bind.OneOf;
import dev.mirrordj.config.bind.Range;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code agent}: how the agent is created next to the target. Defaults are the reference's, or
 * mirrord's where the reference is silent.
 *
 * @param logLevel agent log level, RUST_LOG style (default "info")
 * @param jsonLog agent logs as JSON (default false)
 * @param labels labels for the agent Job and Pod
 * @param annotations annotations for the agent Job and Pod
 * @param namespace namespace for the agent (default: the current one)
 * @param image the agent image (default ghcr.io/metalbear-co/mirrord:latest)
 * @param imagePullPolicy Kubernetes image pull policy: IfNotPresent (default), Always or Never
 * @param imagePullSecrets secrets the agent pod may use, as {@code {name: <secret>}} entries
 * @param ttl seconds the agent Job persists after the agent exits (default 1)
 * @param ephemeral run the agent as an ephemeral container (default false)
 * @param communicationTimeout seconds the agent lives without connections (default 30)
 * @param startupTimeout seconds to wait for the agent to start (default 60)
 * @param networkInterface interface to mirror on (default: the one with the internet route, else
 *     eth0)
 * @param flushConnections flush existing connections when stealing starts (default true)
 * @param checkOutOfPods check the node has room for the agent Job (default true)
 * @param nftables use iptables-nft instead of iptables-legacy (default false)
 * @param privileged run the agent privileged (default false)
 * @param tolerations pod tolerations (default [{operator: Exists}]; [] for none)
 * @param resources pod resource requests and limits
 * @param dns DNS resolution settings of the agent
 * @param disabledCapabilities capabilities the agent must not use
 * @param maxBodyBufferSize bytes of a request body the agent holds to run a body filter (default
 *     65535); a larger body does not match
 * @param maxBodyBufferTimeout milliseconds the agent waits for a body to run a body filter (default
 *     1000); a body that takes longer does not match
 */
public record AgentConfig(
    String logLevel,
    boolean jsonLog,
    Map<String, String> labels,
    Map<String, String> annotations,
    Optional<String> namespace,
    AgentImage image,
    @OneOf({"IfNotPresent", "Always", "Never"}) String imagePullPolicy,
    List<Map<String, String>> imagePullSecrets,
    @Range(max = 65535) int ttl,
    boolean ephemeral,
    @Range(max = 65535) int communicationTimeout,
    long startupTimeout,
    Optional<String> networkInterface,
    boolean flushConnections,
    boolean checkOutOfPods,
    boolean nftables,
    boolean privileged,
    List<Toleration> tolerations,
    AgentResources resources,
    AgentDns dns,
    List<Capability> disabledCapabilities,
    @Range(max = 4294967295L) long maxBodyBufferSize,
    @Range(max = 4294967295L) long maxBodyBufferTimeout) {
  public AgentConfig {
    imagePullSecrets = Immutable.list(imagePullSecrets);
    tolerations = Immutable.list(tolerations);
    disabledCapabilities = Immutable.list(disabledCapabilities);
    labels = Immutable.map(labels);
    annotations = Immutable.map(annotations);
  }

  static AgentConfig defaults() {
    return new AgentConfig(
        "info",
        false,
        Map.of(),
        Map.of(),
        Optional.empty(),
        AgentImage.DEFAULT,
        "IfNotPresent",
        List.of(),
        1,
        false,
        30,
        60,
        Optional.empty(),
        true,
        true,
        false,
        false,
        List.of(Toleration.EXISTS),
        AgentResources.defaults(),
        AgentDns.defaults(),
        List.of(),
        65535,
        1000);
  }
}
