package dev.mirrordj.cli.kube;

import dev.mirrordj.agent.runtime.ContainerRuntimeResolver;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.verticles.kube.KubeClients;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A small Kubernetes world for end-to-end tests (root): a harness pod "web" (hostname web-7d9f, env
 * APP_MODE=kube-e2e, file /app/kube.txt) whose container the mock API lists as {@code docker://ID};
 * the node's Docker Engine API on {@code <hostRoot>/run/docker.sock} maps ID to the pod's PID; the
 * fake node starts the real {@code mirrord agent} for agent Jobs; clients reach the API through the
 * front ({@link #apiUrl()}), which also carries port-forwards to the agent.
 */
final class KubeWorld implements AutoCloseable {
  static final String CONTAINER_ID =
      "6d2f0c1e9b8a7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060504";
  final String ns = "e2e-" + System.nanoTime();
  final Vertx vertx =
      Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
  final Cluster cluster;
  final Pod pod;
  final FakeApiFront front;
  final KubernetesClient nodeClient;
  final FakeNode node;
  private final HttpServer docker;

  /** The node's containers: container id → the harness pod that runs it. */
  private final Map<String, Pod> containers = new ConcurrentHashMap<>();

  KubeWorld(KubernetesMockServer server, Path hostRoot) throws Exception {
    this(server, hostRoot, spec -> spec);
  }

  /**
   * @param webExtras adds to the "web" pod's spec (e.g. an HTTP server the pod answers with)
   */
  KubeWorld(KubernetesMockServer server, Path hostRoot, UnaryOperator<PodSpec> webExtras)
      throws Exception {
    cluster = Cluster.start();
    try {
      pod =
          cluster.addPod(
              webExtras.apply(
                  PodSpec.named("web")
                      .hostname("web-7d9f")
                      .env("APP_MODE", "kube-e2e")
                      .file("/app/kube.txt", "from the pod\n")));
      containers.put(CONTAINER_ID, pod);
      docker = fakeDockerEngine(hostRoot);
      front = FakeApiFront.start(vertx, server.url("/"));
      nodeClient = KubeClients.create(vertx, config(server.url("/")));
      node =
          new FakeNode(
              server,
              nodeClient,
              front,
              ns,
              new FakeNode.AgentExec() {
                @Override
                public List<String> command() {
                  return List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-cp",
                      System.getProperty("java.class.path"),
                      "dev.mirrordj.cli.Main",
                      "agent");
                }

                @Override
                public Map<String, String> environment() {
                  return Map.of(ContainerRuntimeResolver.HOST_ROOT_VARIABLE, hostRoot.toString());
                }
              });
      nodeClient.pods().inNamespace(ns).resource(targetPod()).create();
    } catch (Exception | Error e) {
      cluster.close();
      vertx.close();
      throw e;
    }
  }

  /** The API server URL clients use (the front). */
  String apiUrl() {
    return front.url();
  }

  Config config(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace(ns)
        .withRequestTimeout(10_000)
        .build();
  }

  /** A kubeconfig file for this world, for commands that read one (run, ls). */
  Path kubeconfig(Path dir) throws Exception {
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        current-context: e2e
        clusters: [{name: e2e, cluster: {server: "%s"}}]
        contexts: [{name: e2e, context: {cluster: e2e, user: u, namespace: %s}}]
        users: [{name: u, user: {token: t}}]
        """
            .formatted(apiUrl(), ns));
  }

  private io.fabric8.kubernetes.api.model.Pod targetPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .addNewContainer()
        .withName("app")
        .withImage("app:1")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewContainerStatus()
        .withName("app")
        .withReady(true)
        .withContainerID("docker://" + CONTAINER_ID)
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  /** Makes {@code pod} the process of container {@code id} on the node (Docker Engine API). */
  void addContainer(String id, Pod pod) {
    containers.put(id, pod);
  }

  /** The node's Docker Engine API ({@code GET /containers/{id}/json}). */
  private HttpServer fakeDockerEngine(Path hostRoot) throws Exception {
    Path socket = Files.createDirectories(hostRoot.resolve("run")).resolve("docker.sock");
    return vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              String id =
                  req.path().startsWith("/containers/") && req.path().endsWith("/json")
                      ? req.path().substring("/containers/".length(), req.path().length() - 5)
                      : "";
              Pod container = containers.get(id);
              if (container != null) {
                JsonArray env = new JsonArray();
                container.env().forEach((k, v) -> env.add(k + "=" + v));
                req.response()
                    .putHeader("content-type", "application/json")
                    .end(
                        new JsonObject()
                            .put("Id", id)
                            .put(
                                "State",
                                new JsonObject().put("Running", true).put("Pid", container.pid()))
                            .put("Config", new JsonObject().put("Env", env))
                            .encode());
              } else {
                req.response()
                    .setStatusCode(404)
                    .end(new JsonObject().put("message", "No such container").encode());
              }
            })
        .listen(SocketAddress.domainSocketAddress(socket.toString()))
        .await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      node.close();
      nodeClient.close();
      front.close();
      docker.close().await(10, TimeUnit.SECONDS);
    } finally {
      cluster.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
