package dev.mirrordj.verticles.cluster.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.verticles.kube.KubeClients;
import dev.mirrordj.verticles.kube.TargetRef;
import dev.mirrordj.verticles.kube.TargetResolutionException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployment pod watch against the mock API's watch support: the pods ready at start, a pod
 * that becomes ready later, pods that go away; pods of other apps and copy pods are left out;
 * callbacks run on the context that started the watch.
 */
@ExtendWith(VertxExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class DeploymentPodWatcherTest {
  static KubernetesMockServer server;
  static KubernetesClient api;
  private final String ns = "watch-" + System.nanoTime();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> offContext = new CopyOnWriteArrayList<>();
  private KubernetesClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    client =
        KubeClients.create(
            vertx,
            new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/"))
                .withNamespace(ns)
                .withRequestTimeout(5000)
                .build());
    api.apps()
        .deployments()
        .inNamespace(ns)
        .resource(CopyFixtures.deployment(ns, "api", 3))
        .create();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private void createPod(String name, Map<String, String> labels, boolean ready) {
    Pod pod = CopyFixtures.replicaPod(ns, name, labels);
    api.pods().inNamespace(ns).resource(ready ? pod : withReady(pod, false)).create();
  }

  private static Pod withReady(Pod pod, boolean ready) {
    return new PodBuilder(pod)
        .editStatus()
        .withConditions()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  private void setReady(String name, boolean ready) {
    api.pods().inNamespace(ns).withName(name).edit(p -> withReady(p, ready));
  }

  private DeploymentPodListener recorder(Context expected) {
    return new DeploymentPodListener() {
      @Override
      public void ready(ReadyPod pod) {
        check();
        events.add("ready " + pod.name() + " " + pod.target().render());
      }

      @Override
      public void gone(String podName, String reason) {
        check();
        events.add("gone " + podName + " " + reason);
      }

      @Override
      public void failed(Throwable cause) {
        events.add("failed " + cause);
      }

      private void check() {
        if (Vertx.currentContext() != expected) {
          offContext.add(Thread.currentThread().getName());
        }
      }
    };
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void reportsReadyPodsAtStartThoseThatBecomeReadyAndThoseThatGo(Vertx vertx) throws Exception {
    createPod("api-1", Map.of("app", "api"), true);
    createPod("api-2", Map.of("app", "api"), true);
    createPod("api-0", Map.of("app", "api"), false);
    createPod("other-1", Map.of("app", "other"), true);
    createPod("api-copy-abcde", Map.of("app", "api", CopyMarkers.SESSION_LABEL, "s1"), true);

    Context context = vertx.getOrCreateContext();
    PodWatch watch =
        context
            .<PodWatch>executeBlocking(() -> null)
            .compose(
                v ->
                    new DeploymentPodWatcher(vertx, client)
                        .watch(
                            ns,
                            TargetRef.parse("deployment/api/container/main"),
                            recorder(context)))
            .await(30, java.util.concurrent.TimeUnit.SECONDS);
    try {
      // At start: exactly the two ready replicas, already reported when the future completed.
      assertEquals(
          Set.of("ready api-1 pod/api-1/container/main", "ready api-2 pod/api-2/container/main"),
          Set.copyOf(events));
      assertEquals(Set.of("api-1", "api-2"), watch.readyPods());

      createPod("api-3", Map.of("app", "api"), false);
      setReady("api-3", true);
      await("api-3 reported", () -> events.contains("ready api-3 pod/api-3/container/main"));
      setReady("api-0", true);
      await("api-0 reported", () -> events.contains("ready api-0 pod/api-0/container/main"));

      api.pods().inNamespace(ns).withName("api-1").delete();
      await("api-1 gone", () -> events.contains("gone api-1 deleted"));
      setReady("api-2", false);
      await(
          "api-2 gone",
          () ->
              events.stream()
                  .anyMatch(
                      e -> e.startsWith("gone api-2 no longer ready (phase Running, Ready=False")));
      await("snapshot", () -> watch.readyPods().equals(Set.of("api-0", "api-3")));

      long readyCount = events.stream().filter(e -> e.startsWith("ready")).count();
      assertEquals(4, readyCount, "each pod reported once: " + events);
      assertTrue(
          events.stream().noneMatch(e -> e.contains("other") || e.contains("copy")),
          events.toString());
      assertEquals(List.of(), offContext, "callbacks run on the watch's context");
    } finally {
      watch.close();
    }

    int before = events.size();
    createPod("api-4", Map.of("app", "api"), true);
    api.pods().inNamespace(ns).withName("api-3").delete();
    Thread.sleep(500); // nothing may arrive after close; give a late event the time to show
    assertEquals(before, events.size(), "no calls after close: " + events);
  }

  @Test
  void aMissingDeploymentIsNamed(Vertx vertx, VertxTestContext test) {
    new DeploymentPodWatcher(vertx, client)
        .watch(ns, TargetRef.parse("deployment/ghost"), recorder(null))
        .onComplete(
            test.failing(
                err ->
                    test.verify(
                        () -> {
                          assertInstanceOf(TargetResolutionException.class, err);
                          assertTrue(
                              err.getMessage()
                                  .contains(
                                      "deployment 'ghost' not found in namespace '" + ns + "'"),
                              err.getMessage());
                          test.completeNow();
                        })));
  }

  @Test
  void onlyDeploymentsCanBeWatched(Vertx vertx, VertxTestContext test) {
    new DeploymentPodWatcher(vertx, client)
        .watch(ns, TargetRef.parse("pod/api-1"), recorder(null))
        .onComplete(
            test.failing(
                err ->
                    test.verify(
                        () -> {
                          assertInstanceOf(UnsupportedTargetException.class, err);
                          assertEquals(Optional.empty(), Optional.ofNullable(err.getCause()));
                          test.completeNow();
                        })));
  }
}
