package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigName;
import java.util.List;
import java.util.Optional;

/**
 * The resolved, immutable configuration of a session: every field of the configuration reference
 * with its resolved value. Built by {@link ConfigResolver}; serialized for child processes by
 * {@link ConfigCodec}. Field names in files are the snake_case forms of the component names.
 *
 * @param acceptInvalidCertificates accept invalid TLS certificates from the Kubernetes API (default
 *     false)
 * @param skipProcesses process names the layer does not load into
 * @param skipBuildTools skip the build tools listed in {@link BuildTools#DEFAULT} (default true)
 * @param operator use the operator: true, false, or unset (try it, fall back without)
 * @param telemetry send telemetry (default true; this implementation sends none)
 * @param useProxy keep {@code HTTP[S]_PROXY} for mirrord's own requests (default true)
 * @param connectTcp {@code IP:PORT} of an agent to connect to directly instead of using Kubernetes
 * @param kubeContext kube context to use instead of the current one
 * @param kubeconfig kubeconfig path instead of {@code KUBECONFIG} / {@code ~/.kube/config}
 * @param sipBinaries binaries to patch (macOS only; accepted with a warning here)
 */
public record MirrordConfig(
    boolean acceptInvalidCertificates,
    List<String> skipProcesses,
    boolean skipBuildTools,
    Optional<Boolean> operator,
    boolean telemetry,
    boolean useProxy,
    Optional<String> connectTcp,
    Optional<String> kubeContext,
    Optional<String> kubeconfig,
    List<String> sipBinaries,
    TargetConfig target,
    AgentConfig agent,
    FeatureConfig feature,
    ExperimentalConfig experimental,
    @ConfigName("internal_proxy") InternalProxyConfig internalProxy) {
  public MirrordConfig {
    skipProcesses = Immutable.list(skipProcesses);
    sipBinaries = Immutable.list(sipBinaries);
  }

  static MirrordConfig defaults() {
    return new MirrordConfig(
        false,
        List.of(),
        true,
        Optional.empty(),
        true,
        true,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        TargetConfig.defaults(),
        AgentConfig.defaults(),
        FeatureConfig.defaults(),
        ExperimentalConfig.defaults(),
        InternalProxyConfig.defaults());
  }

  /** The configuration with no file, no environment and no flags. */
  public static MirrordConfig defaultConfig() {
    return defaults();
  }
}
