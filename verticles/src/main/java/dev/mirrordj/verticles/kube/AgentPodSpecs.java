package dev.mirrordj.verticles.kube;

import dev.mirrordj.protocol.auth.SharedSecret;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the agent's Kubernetes objects from {@link AgentSettings}: a Job (targetless: a plain pod;
 * targeted: on the target's node with {@code hostPID}, the node's {@code /run} and {@code /var}
 * under {@code /host}, and the capabilities the agent needs) or an ephemeral container in the
 * target pod. Pure: no API calls, so every field is asserted in unit tests.
 */
public final class AgentPodSpecs {
  public static final String CONTAINER_NAME = "mirrord-agent";
  public static final List<String> CAPABILITIES =
      List.of("NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_ADMIN");
  static final Map<String, String> MESH_OPT_OUT_LABELS =
      Map.of("sidecar.istio.io/inject", "false", "kuma.io/sidecar-injection", "disabled");
  static final Map<String, String> MESH_OPT_OUT_ANNOTATIONS =
      Map.of("sidecar.istio.io/inject", "false", "linkerd.io/inject", "disabled");

  private AgentPodSpecs() {}

  /** The key of the agent's secret in its Kubernetes Secret. */
  public static final String SECRET_KEY = "secret";

  /** The agent Job without a secret; {@code target == null} means targetless. */
  public static Job job(
      AgentSettings s,
      String name,
      String namespace,
      int port,
      ResolvedTarget target,
      int runAsGroup) {
    return job(s, name, namespace, port, target, runAsGroup, null);
  }

  /**
   * The agent Job; {@code target == null} means targetless. {@code secretName} (null: none) names
   * the Kubernetes Secret (see {@link #secret}) whose value the agent gets in its environment.
   */
  public static Job job(
      AgentSettings s,
      String name,
      String namespace,
      int port,
      ResolvedTarget target,
      int runAsGroup,
      String secretName) {
    boolean targeted = target != null;
    List<String> args =
        targeted
            ? AgentCommandLine.targeted(s, port, target)
            : AgentCommandLine.targetless(s, port);
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(CONTAINER_NAME)
            .withImage(s.image())
            .withImagePullPolicy(s.imagePullPolicy())
            .withCommand(AgentCommandLine.ENTRYPOINT)
            .withArgs(args)
            .withEnv(withSecret(AgentCommandLine.environment(s), secretName))
            .withResources(resources(s));
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            .withImagePullSecrets(
                s.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
            .withTolerations(tolerations(s));
    s.serviceAccount().ifPresent(pod::withServiceAccountName);
    s.priorityClass().ifPresent(pod::withPriorityClassName);
    if (targeted) {
      container
          .withSecurityContext(securityContext(s, runAsGroup))
          .withVolumeMounts(
              new VolumeMountBuilder().withName("hostrun").withMountPath("/host/run").build(),
              new VolumeMountBuilder().withName("hostvar").withMountPath("/host/var").build());
      pod.withNodeName(target.nodeName())
          .withHostPID(true)
          .withVolumes(
              new VolumeBuilder()
                  .withName("hostrun")
                  .withNewHostPath()
                  .withPath("/run")
                  .endHostPath()
                  .build(),
              new VolumeBuilder()
                  .withName("hostvar")
                  .withNewHostPath()
                  .withPath("/var")
                  .endHostPath()
                  .build());
    } else if (!s.nodeSelector().isEmpty()) {
      pod.withNodeSelector(new TreeMap<>(s.nodeSelector()));
    }
    pod.withContainers(container.build());
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels(s))
        .withAnnotations(annotations(s))
        .endMetadata()
        .withNewSpec()
        .withTtlSecondsAfterFinished(s.ttl())
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels(s))
        .withAnnotations(annotations(s))
        .endMetadata()
        .withSpec(pod.build())
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The ephemeral agent container: it joins the target container's namespaces ({@code
   * targetContainerName}) and inherits that container's plain environment variables.
   */
  public static EphemeralContainer ephemeral(
      AgentSettings s, String name, int port, ResolvedTarget target) {
    return ephemeral(s, name, port, target, null);
  }

  /** As above, with the agent's secret from the Kubernetes Secret {@code secretName}. */
  public static EphemeralContainer ephemeral(
      AgentSettings s, String name, int port, ResolvedTarget target, String secretName) {
    List<EnvVar> env = new ArrayList<>();
    if (target.container().getEnv() != null) {
      target.container().getEnv().stream().filter(e -> e.getValueFrom() == null).forEach(env::add);
    }
    env.addAll(withSecret(AgentCommandLine.environment(s), secretName));
    return new EphemeralContainerBuilder()
        .withName(name)
        .withImage(s.image())
        .withImagePullPolicy(s.imagePullPolicy())
        .withCommand(AgentCommandLine.ENTRYPOINT)
        .withArgs(AgentCommandLine.ephemeral(s, port))
        .withEnv(env)
        .withTargetContainerName(target.containerName())
        .withSecurityContext(securityContext(s, null))
        .build();
  }

  /**
   * The Secret holding an agent's secret. The agent reads it from its environment through a
   * secretKeyRef: never from its arguments, which anyone who can list pods reads.
   */
  public static Secret secret(String name, String namespace, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of("app", "mirrord"))
        .endMetadata()
        .withType("Opaque")
        .withStringData(Map.of(SECRET_KEY, value))
        .build();
  }

  private static List<EnvVar> withSecret(List<EnvVar> env, String secretName) {
    if (secretName == null) {
      return env;
    }
    List<EnvVar> all = new ArrayList<>(env);
    all.add(
        new EnvVarBuilder()
            .withName(SharedSecret.AGENT_VARIABLE)
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(secretName)
            .withKey(SECRET_KEY)
            .withOptional(false)
            .endSecretKeyRef()
            .endValueFrom()
            .build());
    return all;
  }

  static Map<String, String> labels(AgentSettings s) {
    Map<String, String> labels = new LinkedHashMap<>(new TreeMap<>(s.labels()));
    if (s.disableMeshSidecarInjection()) {
      labels.putAll(MESH_OPT_OUT_LABELS);
    }
    labels.put("app", "mirrord");
    return labels;
  }

  static Map<String, String> annotations(AgentSettings s) {
    Map<String, String> annotations = new LinkedHashMap<>(new TreeMap<>(s.annotations()));
    if (s.disableMeshSidecarInjection()) {
      annotations.putAll(MESH_OPT_OUT_ANNOTATIONS);
    }
    return annotations;
  }

  static List<String> capabilities(AgentSettings s) {
    List<String> disabled =
        s.disabledCapabilities().stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
    return CAPABILITIES.stream().filter(c -> !disabled.contains(c)).toList();
  }

  private static SecurityContext securityContext(AgentSettings s, Integer runAsGroup) {
    return new SecurityContextBuilder()
        .withPrivileged(s.privileged())
        .withRunAsGroup(runAsGroup == null ? null : runAsGroup.longValue())
        .withCapabilities(new Capabilities(capabilities(s), List.of()))
        .build();
  }

  static List<Toleration> tolerations(AgentSettings s) {
    if (s.tolerations() == null) {
      return List.of(new TolerationBuilder().withOperator("Exists").build());
    }
    return s.tolerations().stream().map(AgentPodSpecs::toleration).toList();
  }

  private static Toleration toleration(Map<String, Object> t) {
    Object seconds = t.get("tolerationSeconds");
    return new TolerationBuilder()
        .withKey((String) t.get("key"))
        .withOperator((String) t.get("operator"))
        .withValue((String) t.get("value"))
        .withEffect((String) t.get("effect"))
        .withTolerationSeconds(seconds == null ? null : ((Number) seconds).longValue())
        .build();
  }

  static ResourceRequirements resources(AgentSettings s) {
    Map<String, Map<String, String>> r =
        s.resources() != null
            ? s.resources()
            : Map.of(
                "requests", Map.of("cpu", "1m", "memory", "1Mi"),
                "limits", Map.of("cpu", "100m", "memory", "100Mi"));
    return new ResourceRequirements(
        null, quantities(r.get("limits")), quantities(r.get("requests")));
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> out = new TreeMap<>();
    if (values != null) {
      values.forEach((k, v) -> out.put(k, new Quantity(v)));
    }
    return out;
  }
}
