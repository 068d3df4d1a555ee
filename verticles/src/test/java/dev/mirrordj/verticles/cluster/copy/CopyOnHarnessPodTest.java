package dev.mirrordj.verticles.cluster.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Root;
import dev.mirrordj.verticles.kube.KubeClients;
import dev.mirrordj.verticles.kube.TargetRef;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * copy_target with scale_down where the copy is a real process: {@link HarnessKubelet} runs each
 * API pod as a harness pod (python3 HTTP server from the deployment's template, with its
 * environment), Ready only once it listens and its readiness probe, if any, passes. Root: the pods
 * are Linux namespaces.
 */
@ExtendWith(VertxExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class CopyOnHarnessPodTest {
  /** Answers every GET with its APP_MODE, hostname and path; nothing listens on the probe port. */
  private static final String SERVER =
      """
      import http.server, os, socket, sys
      class H(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              body = ("APP_MODE=%s host=%s path=%s\\n" % (
                  os.environ.get("APP_MODE"), socket.gethostname(), self.path)).encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
          def log_message(self, *args):
              pass
      http.server.ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), H).serve_forever()
      """;

  static KubernetesMockServer server;
  static KubernetesClient api;
  private static Cluster cluster;
  private final String ns = "harness-" + System.nanoTime();
  private KubernetesClient client;
  private HarnessKubelet kubelet;

  @BeforeAll
  static void startCluster() {
    Root.requireRoot();
    cluster = Cluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    client =
        KubeClients.create(
            vertx,
            new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/"))
                .withNamespace(ns)
                .withRequestTimeout(10_000)
                .build());
    kubelet = new HarnessKubelet(api, ns, cluster);
    api.apps().deployments().inNamespace(ns).resource(shop()).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    kubelet.close();
    client.close();
  }

  private Deployment shop() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("shop")
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app", "shop")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "shop")
        .endMetadata()
        .withNewSpec()
        .withContainers(
            new ContainerBuilder()
                .withName("web")
                .withImage("shop:1")
                .withCommand("python3", "-c", SERVER)
                .withArgs("8080")
                .addNewEnv()
                .withName("APP_MODE")
                .withValue("from-template")
                .endEnv()
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .withReadinessProbe(CopyFixtures.httpProbe(8081))
                .withLivenessProbe(CopyFixtures.httpProbe(8081))
                .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private String get(String ip, int port, String path) {
    return cluster.inNetns(
        () -> {
          HttpURLConnection conn =
              (HttpURLConnection)
                  URI.create("http://" + ip + ":" + port + path).toURL().openConnection();
          conn.setConnectTimeout(2000);
          conn.setReadTimeout(2000);
          try (InputStream in = conn.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } finally {
            conn.disconnect();
          }
        });
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private int replicas() {
    return api.apps().deployments().inNamespace(ns).withName("shop").get().getSpec().getReplicas();
  }

  @Test
  void theCopyRunsTheTemplateServesRequestsAndEndsWithTheSession(Vertx vertx) throws Exception {
    var preparation = new KubeTargetPreparation(vertx, client, s -> {});
    PreparedTarget prepared =
        preparation
            .prepare(
                new PreparationRequest(
                    "sess-harness",
                    "alice",
                    TargetRef.parse("deployment/shop"),
                    ns,
                    true,
                    true,
                    Duration.ofSeconds(60)))
            .await(90, TimeUnit.SECONDS);
    String copy = prepared.target().name();
    Pod apiPod = api.pods().inNamespace(ns).withName(copy).get();
    assertTrue(CopyReadiness.isReady(apiPod));
    var running = kubelet.pod(copy);
    assertEquals(
        "APP_MODE=from-template host=" + copy + " path=/orders\n",
        get(apiPod.getStatus().getPodIP(), 8080, "/orders"),
        "the copy runs the template's program with its environment");
    assertEquals(0, kubelet.probeFailures(copy), "no readiness probe left to fail");
    assertEquals(0, replicas(), "the deployment is held at 0 while the copy lives");

    preparation.release(prepared.undo().orElseThrow()).await(30, TimeUnit.SECONDS);
    assertEquals(2, replicas(), "original replicas restored");
    assertNull(api.pods().inNamespace(ns).withName(copy).get());
    await("the copy's process to end", () -> !running.isAlive());
  }

  @Test
  void withTheTemplatesProbesKeptThePodWouldNeverBeReady() throws Exception {
    // What the ReplicaSet would create: the template as it is, probes included. Its program
    // answers on 8080 but nothing on the probe's port, so a kubelet keeps it unready; the copy
    // above, same template without probes, was Ready at once.
    var template = shop().getSpec().getTemplate();
    api.pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("shop-replica")
                .withNamespace(ns)
                .withLabels(template.getMetadata().getLabels())
                .endMetadata()
                .withSpec(template.getSpec())
                .build())
        .create();
    await("three failed readiness probes", () -> kubelet.probeFailures("shop-replica") >= 3);
    Pod replica = api.pods().inNamespace(ns).withName("shop-replica").get();
    assertEquals("Running", replica.getStatus().getPhase());
    assertFalse(CopyReadiness.isReady(replica));
    assertTrue(
        get(replica.getStatus().getPodIP(), 8080, "/").startsWith("APP_MODE=from-template"),
        "its program does run");
    api.pods().inNamespace(ns).withName("shop-replica").delete();
  }
}
