package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.load.ConfigFormat;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding the operator through the Kubernetes API when {@code MIRRORD_OPERATOR_ADDRESS} is unset
 * (mock API in CRUD mode): no Service, a Service without a ready pod, and a Service whose ready pod
 * names the session port (the port-forward then fails on the mock, which shows the pod and port the
 * CLI chose), each under {@code operator: true} and unset.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorDiscoveryTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  @TempDir Path dir;
  Vertx vertx;
  final List<String> said = new CopyOnWriteArrayList<>();
  int fallbacks;
  final AgentConnector fallback =
      (v, c, p) -> {
        fallbacks++;
        return Future.failedFuture(new RunFailure("the fallback was used"));
      };

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
    client.services().inNamespace("mirrord").delete();
    client.pods().inNamespace("mirrord").delete();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void trueWithoutTheServiceIsAClearError() throws Exception {
    Throwable e = failure(connect("true"));
    assertInstanceOf(RunFailure.class, e);
    assertTrue(
        e.getMessage()
            .startsWith(
                "operator is true, but no operator was found: no Service mirrord/mirrord-operator"),
        e.getMessage());
    assertEquals(0, fallbacks);
  }

  @Test
  void unsetWithoutTheServiceGoesOnWithoutItAndSaysSo() throws Exception {
    assertEquals("the fallback was used", failure(connect(null)).getMessage());
    assertEquals(1, fallbacks);
    assertTrue(
        said.contains(
            "info: no operator (no Service mirrord/mirrord-operator); going on without it"),
        said.toString());
  }

  @Test
  void aServiceWithoutAReadyPodIsNoOperator() throws Exception {
    service();
    operatorPod("mirrord-operator-0", false);
    Throwable e = failure(connect("true"));
    assertTrue(
        e.getMessage().contains("Service mirrord/mirrord-operator has no ready pod"),
        e.getMessage());
  }

  @Test
  void theReadyPodAndItsNamedSessionPortAreChosen() throws Exception {
    service();
    operatorPod("mirrord-operator-0", false);
    operatorPod("mirrord-operator-1", true);
    Throwable e = failure(connect("true"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "operator is true, but the operator at mirrord/mirrord-operator-1:7700 cannot be"
                    + " reached"),
        e.getMessage());
    assertEquals(0, fallbacks);

    said.clear();
    assertEquals("the fallback was used", failure(connect(null)).getMessage());
    assertTrue(
        said.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                            "warning: the operator at mirrord/mirrord-operator-1:7700 cannot be"
                                + " reached")
                        && l.endsWith("going on without it")),
        said.toString());
  }

  private void service() {
    client
        .services()
        .inNamespace("mirrord")
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("mirrord-operator")
                .withNamespace("mirrord")
                .endMetadata()
                .withNewSpec()
                .addToSelector("app.kubernetes.io/name", "mirrord-operator")
                .addNewPort()
                .withName("sessions")
                .withPort(7700)
                .withNewTargetPort("sessions")
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  private void operatorPod(String name, boolean ready) {
    client
        .pods()
        .inNamespace("mirrord")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("mirrord")
                .addToLabels("app.kubernetes.io/name", "mirrord-operator")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("operator")
                .withImage("agent:1")
                .addNewPort()
                .withName("sessions")
                .withContainerPort(7700)
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(ready ? "Running" : "Pending")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  private Future<AgentLink> connect(String operator) throws Exception {
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            current-context: t
            clusters: [{name: t, cluster: {server: "%s"}}]
            contexts: [{name: t, context: {cluster: t, user: u, namespace: apps}}]
            users: [{name: u, user: {token: t}}]
            """
                .formatted(server.url("/")));
    String json =
        "{\"target\": \"pod/web\", \"kubeconfig\": \""
            + kubeconfig
            + "\""
            + (operator == null ? "" : ", \"operator\": " + operator)
            + "}";
    MirrordConfig config =
        ConfigResolver.resolve(
                new ConfigSource.Text(json, ConfigFormat.JSON, "<t>"), Map.of(), Map.of(), false)
            .orThrow();
    return new OperatorConnector(Map.of(), fallback)
        .connect(vertx, config, new RecordingProgress(said));
  }

  private static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }
}
