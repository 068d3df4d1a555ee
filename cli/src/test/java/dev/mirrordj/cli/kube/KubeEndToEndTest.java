package dev.mirrordj.cli.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.runtime.ContainerRuntimeResolver;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.verticles.kube.AgentEndpoint;
import dev.mirrordj.verticles.kube.AgentLaunchRequest;
import dev.mirrordj.verticles.kube.AgentSettings;
import dev.mirrordj.verticles.kube.KubeAgentLauncher;
import dev.mirrordj.verticles.kube.KubeClients;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code pod/web} target end to end against the mock API with the real agent: the launcher
 * resolves the pod (its container runs under "docker"), creates the agent Job; the fake node starts
 * {@code mirrord agent} with the Job's own arguments ({@code --container-id … --container-runtime
 * docker}); the agent asks a Docker Engine API on the node's socket for the container's PID (a
 * harness pod's main process); the launcher waits for the ready line in the pod log and opens the
 * port-forward; the protocol client reads the pod's environment, hostname and files through it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeEndToEndTest {
  static KubernetesMockServer server;
  static KubernetesClient mockClient;
  private static final String CONTAINER_ID = "6d2f0c1e9b8a7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060504";
  @TempDir Path hostRoot;

  @Test
  void podTargetReachesTheRealAgentOnAHarnessPodThroughTheMockApi() throws Exception {
    Root.requireRoot();
    String ns = "e2e-" + System.nanoTime();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    List<String> progress = new CopyOnWriteArrayList<>();
    try (Cluster cluster = Cluster.start()) {
      Pod pod = cluster.addPod(PodSpec.named("web").hostname("web-7d9f").env("APP_MODE", "kube-e2e")
          .file("/app/kube.txt", "from the pod\n"));
      HttpServer docker = fakeDockerEngine(vertx, pod.pid());
      FakeApiFront front = FakeApiFront.start(vertx, server.url("/"));
      KubernetesClient nodeClient = KubeClients.create(vertx, config(server.url("/"), ns));
      KubernetesClient client = KubeClients.create(vertx, config(front.url(), ns));
      FakeNode node = new FakeNode(server, nodeClient, front, ns, new FakeNode.AgentExec() {
        @Override
        public List<String> command() {
          return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
              System.getProperty("java.class.path"), "dev.mirrordj.cli.Main", "agent");
        }

        @Override
        public Map<String, String> environment() {
          return Map.of(ContainerRuntimeResolver.HOST_ROOT_VARIABLE, hostRoot.toString());
        }
      });
      try {
        nodeClient.pods().inNamespace(ns).resource(targetPod(ns)).create();
        AgentEndpoint endpoint = new KubeAgentLauncher(vertx, client, progress::add)
            .launch(AgentLaunchRequest.of("pod/web", ns, AgentSettings.withDefaults()))
            .await(120, TimeUnit.SECONDS);
        FakeNode.RunningAgent agent = node.agents().values().iterator().next();
        AgentClient agentClient = AgentClient.connect(vertx, endpoint.host(), endpoint.port(),
            new AgentClientOptions()).await(30, TimeUnit.SECONDS);
        Lookups.EnvReply env = agentClient.request(new Lookups.GetEnv(List.of("APP_MODE"), List.of()),
            Lookups.EnvReply.class).await(30, TimeUnit.SECONDS);
        assertEquals(Map.of("APP_MODE", "kube-e2e"), env.vars());
        Lookups.NameReply hostname = agentClient.request(new Lookups.GetHostname(), Lookups.NameReply.class)
            .await(30, TimeUnit.SECONDS);
        assertEquals("web-7d9f", hostname.name());
        assertEquals("from the pod\n", agentClient.fetchFile("/app/kube.txt").await(30, TimeUnit.SECONDS).toString());
        agentClient.close().await(10, TimeUnit.SECONDS);

        endpoint.close();
        Instant deadline = Instant.now().plusSeconds(30);
        while (agent.process().isAlive() && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
        }
        assertTrue(!agent.process().isAlive(), "agent stopped after the session:\n" + agent.output());
        assertTrue(progress.stream().anyMatch(p -> p.startsWith("agent ready in pod")), progress.toString());
      } finally {
        node.close();
        client.close();
        nodeClient.close();
        front.close();
        docker.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }

  private static Config config(String url, String ns) {
    return new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace(ns).withRequestTimeout(10_000).build();
  }

  private static io.fabric8.kubernetes.api.model.Pod targetPod(String ns) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName("web").endMetadata()
        .withNewSpec().withNodeName("node-1").addNewContainer().withName("app").withImage("app:1").endContainer()
        .endSpec().withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
        .endCondition().addNewContainerStatus().withName("app").withReady(true)
        .withContainerID("docker://" + CONTAINER_ID).withNewState().withNewRunning().endRunning().endState()
        .endContainerStatus().endStatus().build();
  }

  /** The node's Docker Engine API ({@code GET /containers/{id}/json}) on {@code <hostRoot>/run/docker.sock}. */
  private HttpServer fakeDockerEngine(Vertx vertx, long podPid) throws Exception {
    Path socket = Files.createDirectories(hostRoot.resolve("run")).resolve("docker.sock");
    return vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/containers/" + CONTAINER_ID + "/json")) {
        req.response().putHeader("content-type", "application/json").end(new JsonObject()
            .put("Id", CONTAINER_ID).put("State", new JsonObject().put("Running", true).put("Pid", podPid))
            .put("Config", new JsonObject().put("Env", new JsonArray().add("APP_MODE=kube-e2e"))).encode());
      } else {
        req.response().setStatusCode(404).end(new JsonObject().put("message", "No such container").encode());
      }
    }).listen(SocketAddress.domainSocketAddress(socket.toString())).await(10, TimeUnit.SECONDS);
  }
}
