package dev.mirrordj.verticles.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Target resolution for every path kind against the fabric8 mock API in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class TargetResolverTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  private TargetResolver resolver;
  private final String ns = "ns-" + System.nanoTime();

  @BeforeEach
  void setUp() {
    resolver = new TargetResolver(client);
  }

  private void create(Pod pod) {
    client.pods().inNamespace(ns).resource(pod).create();
  }

  private ResolvedTarget resolve(String path) {
    return resolver.resolve(TargetRef.parse(path), ns);
  }

  private String failure(String path) {
    return assertThrows(TargetResolutionException.class, () -> resolve(path)).getMessage();
  }

  @Test
  void podTargetPicksFirstContainerAndParsesRuntimeAndId() {
    create(Pods.running(ns, "web", Map.of(), "app", "sidecar").build());
    for (String path : new String[] {"pod/web", "podname/web"}) {
      ResolvedTarget t = resolve(path);
      assertEquals("web", t.podName());
      assertEquals("app", t.containerName());
      assertEquals("node-1", t.nodeName());
      assertEquals(ns, t.namespace());
      assertEquals(ContainerRuntime.CONTAINERD, t.runtime());
      assertEquals(Pods.idFor("web", "app"), t.containerId());
    }
  }

  @Test
  void namedContainerWinsThenDefaultAnnotationThenFirstNonSidecar() {
    create(Pods.running(ns, "a", Map.of(), "istio-proxy", "app", "worker").build());
    assertEquals("app", resolve("pod/a").containerName(), "mesh sidecar skipped");
    assertEquals("worker", resolve("pod/a/container/worker").containerName());
    create(
        Pods.running(ns, "b", Map.of(), "app", "worker")
            .editMetadata()
            .addToAnnotations(TargetResolver.DEFAULT_CONTAINER_ANNOTATION, "worker")
            .endMetadata()
            .build());
    assertEquals("worker", resolve("pod/b").containerName());
  }

  @Test
  void deploymentTargetPicksARunningReadyPodOfItsSelector() {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("api")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "api")
                .endSelector()
                .endSpec()
                .build())
        .create();
    create(Pods.notReady(ns, "api-1", Map.of("app", "api"), "main"));
    create(Pods.running(ns, "api-2", Map.of("app", "api"), "main").build());
    create(Pods.running(ns, "other", Map.of("app", "other"), "main").build());
    assertEquals("api-2", resolve("deployment/api").podName());
    assertEquals("main", resolve("deployment/api/container/main").containerName());
  }

  @Test
  void deploymentWithoutReadyPodsSaysSo() {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("down")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "down")
                .endSelector()
                .endSpec()
                .build())
        .create();
    create(Pods.notReady(ns, "down-1", Map.of("app", "down"), "main"));
    String msg = failure("deployment/down");
    assertTrue(msg.contains("has no running and ready pod") && msg.contains("down-1"), msg);
  }

  @Test
  void jobTargetUsesTheJobSelector() {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("batch")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("controller-uid", "u1")
                .endSelector()
                .endSpec()
                .build())
        .create();
    create(
        Pods.running(ns, "batch-x", Map.of("controller-uid", "u1", "job-name", "batch"), "run")
            .build());
    assertEquals("batch-x", resolve("job/batch").podName());
  }

  @Test
  void containerTargetFindsTheRunningPodWithThatContainer() {
    create(Pods.running(ns, "p1", Map.of(), "front").build());
    create(Pods.running(ns, "p2", Map.of(), "back", "cache").build());
    ResolvedTarget t = resolve("container/cache");
    assertEquals("p2", t.podName());
    assertEquals("cache", t.containerName());
    assertEquals("p1", resolve("containername/front").podName());
    assertTrue(
        failure("container/nothing")
            .contains("no pod in namespace '" + ns + "' has a container named 'nothing'"));
  }

  @Test
  void clearErrorsForMissingTargetsPodsNotRunningAndUnknownContainers() {
    assertTrue(failure("pod/ghost").contains("pod 'ghost' not found in namespace '" + ns + "'"));
    assertTrue(failure("deployment/ghost").contains("deployment 'ghost' not found"));
    assertTrue(failure("job/ghost").contains("job 'ghost' not found"));
    create(
        Pods.running(ns, "pending", Map.of(), "app")
            .editStatus()
            .withPhase("Pending")
            .endStatus()
            .build());
    String notRunning = failure("pod/pending");
    assertTrue(notRunning.contains("is not running (phase Pending)"), notRunning);
    create(Pods.running(ns, "web", Map.of(), "app", "db").build());
    String unknown = failure("pod/web/container/nope");
    assertTrue(unknown.contains("has no container 'nope'; its containers: app, db"), unknown);
  }

  @Test
  void containerThatIsNotRunningIsRejected() {
    create(
        Pods.running(ns, "crash", Map.of(), "app")
            .editStatus()
            .editFirstContainerStatus()
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build());
    String msg = failure("pod/crash");
    assertTrue(
        msg.contains("container 'app' of pod 'crash' is not running (waiting: CrashLoopBackOff)"),
        msg);
  }

  @Test
  void targetPathParsingNamesWhatIsAccepted() {
    assertEquals("pod/a/container/b", TargetRef.parse("podname/a/container/b").render());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TargetRef.parse("svc/x"));
    assertTrue(
        e.getMessage().contains("unknown kind 'svc'") && e.getMessage().contains("pod, deployment"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TargetRef.parse("pod/a/b/c"));
    assertThrows(IllegalArgumentException.class, () -> TargetRef.parse("pod/"));
  }
}
