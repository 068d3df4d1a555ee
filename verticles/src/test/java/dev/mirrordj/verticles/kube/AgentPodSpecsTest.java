package dev.mirrordj.verticles.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent Job and ephemeral container, field by field, for the defaults and for every option. */
class AgentPodSpecsTest {
  private static final String ID = Pods.idFor("web", "app");
  private final ResolvedTarget target = target();

  private static ResolvedTarget target() {
    var pod =
        Pods.running("apps", "web", Map.of(), "app")
            .editSpec()
            .editFirstContainer()
            .withEnv(
                new EnvVar("DB", "postgres://db", null),
                new EnvVarBuilder()
                    .withName("SECRET")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("k", "s", false)
                    .endValueFrom()
                    .build())
            .endContainer()
            .endSpec()
            .build();
    return new ResolvedTarget(
        "apps",
        "web",
        "node-7",
        pod.getSpec().getContainers().get(0),
        ID,
        ContainerRuntime.CRI_O,
        pod);
  }

  private static Map<String, String> env(List<EnvVar> env) {
    return env.stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void targetedJobWithDefaults() {
    Job job =
        AgentPodSpecs.job(
            AgentSettings.withDefaults(), "mirrord-agent-abc", "apps", 41234, target, 4242);
    assertEquals("mirrord-agent-abc", job.getMetadata().getName());
    assertEquals("apps", job.getMetadata().getNamespace());
    assertEquals("mirrord", job.getMetadata().getLabels().get("app"));
    assertEquals("false", job.getMetadata().getLabels().get("sidecar.istio.io/inject"));
    assertEquals("disabled", job.getMetadata().getAnnotations().get("linkerd.io/inject"));
    assertEquals(1, job.getSpec().getTtlSecondsAfterFinished());
    assertEquals(0, job.getSpec().getBackoffLimit());
    assertEquals(
        job.getMetadata().getLabels(), job.getSpec().getTemplate().getMetadata().getLabels());
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals("node-7", pod.getNodeName());
    assertTrue(pod.getHostPID());
    assertEquals(
        List.of("/run", "/var"),
        pod.getVolumes().stream().map(v -> v.getHostPath().getPath()).toList());
    assertEquals(1, pod.getTolerations().size());
    assertEquals("Exists", pod.getTolerations().get(0).getOperator());
    assertNull(pod.getTolerations().get(0).getKey());
    assertEquals(List.of(), pod.getImagePullSecrets());
    assertTrue(pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty());
    Container c = pod.getContainers().get(0);
    assertEquals("mirrord-agent", c.getName());
    assertEquals(AgentSettings.DEFAULT_IMAGE, c.getImage());
    assertEquals("IfNotPresent", c.getImagePullPolicy());
    assertEquals(List.of(AgentCommandLine.ENTRYPOINT), c.getCommand());
    assertEquals(
        List.of(
            "--port",
            "41234",
            "--communication-timeout",
            "30",
            "--container-id",
            ID,
            "--container-runtime",
            "cri-o"),
        c.getArgs());
    assertEquals(
        Map.of(
            "MIRRORD_AGENT_LOG_LEVEL",
            "info",
            "MIRRORD_AGENT_JSON_LOG",
            "false",
            "MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS",
            "true"),
        env(c.getEnv()));
    assertEquals(
        List.of("/host/run", "/host/var"),
        c.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
    assertEquals(
        List.of("NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_ADMIN"),
        c.getSecurityContext().getCapabilities().getAdd());
    assertFalse(c.getSecurityContext().getPrivileged());
    assertEquals(4242L, c.getSecurityContext().getRunAsGroup());
    assertEquals(new Quantity("1m"), c.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("1Mi"), c.getResources().getRequests().get("memory"));
    assertEquals(new Quantity("100m"), c.getResources().getLimits().get("cpu"));
    assertEquals(new Quantity("100Mi"), c.getResources().getLimits().get("memory"));
  }

  @Test
  void targetlessJobHasNoPrivilegesHostAccessOrNodePin() {
    AgentSettings s =
        AgentSettings.withDefaults().toBuilder().nodeSelector(Map.of("pool", "dev")).build();
    Job job = AgentPodSpecs.job(s, "mirrord-agent-t", "apps", 30001, null, 4242);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertNull(pod.getHostPID());
    assertNull(pod.getNodeName());
    assertEquals(List.of(), pod.getVolumes());
    assertEquals(Map.of("pool", "dev"), pod.getNodeSelector());
    Container c = pod.getContainers().get(0);
    assertNull(c.getSecurityContext());
    assertEquals(List.of(), c.getVolumeMounts());
    assertEquals(
        List.of("--port", "30001", "--communication-timeout", "30", "--targetless"), c.getArgs());
  }

  @Test
  void everyAgentOptionLandsInTheJob() {
    AgentSettings s =
        AgentSettings.withDefaults().toBuilder()
            .image(AgentSettings.image("registry.local/mirrordj", "dev"))
            .imagePullPolicy("Always")
            .imagePullSecrets(List.of("regcred", "other"))
            .labels(Map.of("user", "meow", "app", "not-this"))
            .annotations(Map.of("cats.io/inject", "enabled"))
            .ttl(30)
            .privileged(true)
            .disabledCapabilities(List.of("sys_admin", "NET_RAW"))
            .tolerations(
                List.of(
                    Map.of(
                        "key",
                        "dedicated",
                        "operator",
                        "Equal",
                        "value",
                        "dev",
                        "effect",
                        "NoSchedule",
                        "tolerationSeconds",
                        60)))
            .resources(
                Map.of("requests", Map.of("cpu", "10m"), "limits", Map.of("memory", "256Mi")))
            .serviceAccount(Optional.of("agent-sa"))
            .priorityClass(Optional.of("high"))
            .nftables(Optional.of(true))
            .flushConnections(false)
            .networkInterface(Optional.of("eth1"))
            .dnsTimeout(OptionalInt.of(3))
            .dnsAttempts(OptionalInt.of(2))
            .logLevel("mirrord=debug,warn")
            .jsonLog(true)
            .communicationTimeout(90)
            .disableMeshSidecarInjection(false)
            .build();
    Job job = AgentPodSpecs.job(s, "mirrord-agent-x", "apps", 40000, target, 5000);
    assertEquals(Map.of("user", "meow", "app", "mirrord"), job.getMetadata().getLabels());
    assertEquals(Map.of("cats.io/inject", "enabled"), job.getMetadata().getAnnotations());
    assertEquals(
        Map.of("cats.io/inject", "enabled"),
        job.getSpec().getTemplate().getMetadata().getAnnotations());
    assertEquals(30, job.getSpec().getTtlSecondsAfterFinished());
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertEquals(
        List.of("regcred", "other"),
        pod.getImagePullSecrets().stream().map(r -> r.getName()).toList());
    assertEquals("agent-sa", pod.getServiceAccountName());
    assertEquals("high", pod.getPriorityClassName());
    var tol = pod.getTolerations().get(0);
    assertEquals(
        List.of("dedicated", "Equal", "dev", "NoSchedule", 60L),
        List.of(
            tol.getKey(),
            tol.getOperator(),
            tol.getValue(),
            tol.getEffect(),
            tol.getTolerationSeconds()));
    Container c = pod.getContainers().get(0);
    assertEquals("registry.local/mirrordj:dev", c.getImage());
    assertEquals("Always", c.getImagePullPolicy());
    assertTrue(c.getSecurityContext().getPrivileged());
    assertEquals(
        List.of("NET_ADMIN", "SYS_PTRACE"), c.getSecurityContext().getCapabilities().getAdd());
    assertEquals(Map.of("cpu", new Quantity("10m")), c.getResources().getRequests());
    assertEquals(Map.of("memory", new Quantity("256Mi")), c.getResources().getLimits());
    assertEquals("90", c.getArgs().get(3));
    assertEquals(
        Map.of(
            "MIRRORD_AGENT_LOG_LEVEL",
            "mirrord=debug,warn",
            "MIRRORD_AGENT_JSON_LOG",
            "true",
            "MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS",
            "false",
            "MIRRORD_AGENT_NFTABLES",
            "true",
            "MIRRORD_AGENT_NETWORK_INTERFACE",
            "eth1",
            "MIRRORD_AGENT_DNS_TIMEOUT",
            "3",
            "MIRRORD_AGENT_DNS_ATTEMPTS",
            "2"),
        env(c.getEnv()));
  }

  @Test
  void emptyTolerationListMeansNone() {
    AgentSettings s = AgentSettings.withDefaults().toBuilder().tolerations(List.of()).build();
    assertEquals(
        List.of(),
        AgentPodSpecs.job(s, "n", "ns", 1, target, 3000)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getTolerations());
  }

  @Test
  void ephemeralContainerTargetsTheContainerAndCopiesItsPlainEnv() {
    AgentSettings s =
        AgentSettings.withDefaults().toBuilder()
            .disabledCapabilities(List.of("SYS_PTRACE"))
            .imagePullPolicy("Never")
            .build();
    EphemeralContainer c = AgentPodSpecs.ephemeral(s, "mirrord-agent-eph", 31000, target);
    assertEquals("mirrord-agent-eph", c.getName());
    assertEquals("app", c.getTargetContainerName());
    assertEquals("Never", c.getImagePullPolicy());
    assertEquals(List.of(AgentCommandLine.ENTRYPOINT), c.getCommand());
    assertEquals(
        List.of("--port", "31000", "--communication-timeout", "30", "--target-pid", "1"),
        c.getArgs());
    Map<String, String> env = env(c.getEnv());
    assertEquals("postgres://db", env.get("DB"));
    assertEquals("info", env.get("MIRRORD_AGENT_LOG_LEVEL"));
    assertTrue(
        c.getEnv().stream().noneMatch(e -> e.getName().equals("SECRET")),
        "secret references are not copied into the agent");
    assertEquals(
        List.of("NET_ADMIN", "NET_RAW", "SYS_ADMIN"),
        c.getSecurityContext().getCapabilities().getAdd());
    assertNull(c.getResources());
  }
}
