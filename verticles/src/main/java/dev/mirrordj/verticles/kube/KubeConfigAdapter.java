package dev.mirrordj.verticles.kube;

import dev.mirrordj.config.AgentConfig;
import dev.mirrordj.config.AgentImage;
import dev.mirrordj.config.Capability;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.TargetPath;
import dev.mirrordj.config.Toleration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the resolved {@link MirrordConfig} into the kube package's inputs. The one policy here: the
 * mirrord's default image ({@code ghcr.io/metalbear-co/mirrord}) runs the original agent, which
 * does not speak our protocol, so an unset {@code agent.image} means our own image.
 */
public final class KubeConfigAdapter {
  private KubeConfigAdapter() {}

  public static KubeSettings kube(MirrordConfig c) {
    return new KubeSettings(
        c.kubeconfig(), c.kubeContext(), c.acceptInvalidCertificates(), c.useProxy());
  }

  /**
   * The launch request for the configured target.
   *
   * @throws IllegalArgumentException for a {@code pid/} target, which is local and needs no cluster
   */
  public static AgentLaunchRequest request(MirrordConfig c) {
    TargetPath path = c.target().effectivePath();
    if (path instanceof TargetPath.Pid) {
      throw new IllegalArgumentException(
          "target "
              + path.render()
              + " is a local process, not a "
              + "Kubernetes target; the local agent path handles it");
    }
    Optional<TargetRef> ref =
        path instanceof TargetPath.Targetless
            ? Optional.empty()
            : Optional.of(TargetRef.parse(path.render()));
    return new AgentLaunchRequest(ref, c.target().namespace(), agent(c.agent()));
  }

  public static AgentSettings agent(AgentConfig a) {
    String image =
        a.image().equals(AgentImage.DEFAULT) ? AgentSettings.DEFAULT_IMAGE : a.image().reference();
    return AgentSettings.withDefaults().toBuilder()
        .image(image)
        .imagePullPolicy(a.imagePullPolicy())
        .imagePullSecrets(
            a.imagePullSecrets().stream()
                .map(m -> m.get("name"))
                .filter(n -> n != null && !n.isBlank())
                .toList())
        .namespace(a.namespace())
        .labels(a.labels())
        .annotations(a.annotations())
        .ttl(a.ttl())
        .ephemeral(a.ephemeral())
        .privileged(a.privileged())
        .disabledCapabilities(a.disabledCapabilities().stream().map(Capability::wire).toList())
        .tolerations(a.tolerations().stream().map(KubeConfigAdapter::toleration).toList())
        .resources(Map.of("requests", a.resources().requests(), "limits", a.resources().limits()))
        .checkOutOfPods(a.checkOutOfPods())
        .nftables(Optional.of(a.nftables()))
        .flushConnections(a.flushConnections())
        .networkInterface(a.networkInterface())
        .dnsTimeout(a.dns().timeout().map(OptionalInt::of).orElse(OptionalInt.empty()))
        .dnsAttempts(a.dns().attempts().map(OptionalInt::of).orElse(OptionalInt.empty()))
        .logLevel(a.logLevel())
        .jsonLog(a.jsonLog())
        .communicationTimeout(a.communicationTimeout())
        .startupTimeout((int) Math.min(Integer.MAX_VALUE, a.startupTimeout()))
        .build();
  }

  private static Map<String, Object> toleration(Toleration t) {
    Map<String, Object> m = new LinkedHashMap<>();
    t.key().ifPresent(v -> m.put("key", v));
    t.operator().ifPresent(v -> m.put("operator", v));
    t.value().ifPresent(v -> m.put("value", v));
    t.effect().ifPresent(v -> m.put("effect", v));
    t.tolerationSeconds().ifPresent(v -> m.put("tolerationSeconds", v));
    return m;
  }
}
