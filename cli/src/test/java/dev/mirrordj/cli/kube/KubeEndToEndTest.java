package dev.mirrordj.cli.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.verticles.kube.AgentEndpoint;
import dev.mirrordj.verticles.kube.AgentLaunchRequest;
import dev.mirrordj.verticles.kube.AgentSettings;
import dev.mirrordj.verticles.kube.KubeAgentLauncher;
import dev.mirrordj.verticles.kube.KubeClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pod/web} end to end against the mock API with the real agent (root; see {@link
 * KubeWorld}): the launcher resolves the pod (container under "docker"), creates the agent Job; the
 * fake node starts {@code mirrord agent} with the Job's own arguments ({@code --container-id …
 * --container-runtime docker}); the agent asks the node's Docker Engine API for the container's PID
 * (the harness pod's main process); the launcher waits for the ready line in the pod log and opens
 * the port-forward.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeEndToEndTest {
  static KubernetesMockServer server;
  static KubernetesClient mockClient;
  @TempDir Path hostRoot;
  @TempDir Path work;

  @Test
  void launcherReachesTheRealAgentOnAHarnessPodThroughTheMockApi() throws Exception {
    Root.requireRoot();
    List<String> progress = new CopyOnWriteArrayList<>();
    try (KubeWorld world = new KubeWorld(server, hostRoot);
        KubernetesClient client = KubeClients.create(world.vertx, world.config(world.apiUrl()))) {
      AgentEndpoint endpoint =
          new KubeAgentLauncher(world.vertx, client, progress::add)
              .launch(AgentLaunchRequest.of("pod/web", world.ns, AgentSettings.withDefaults()))
              .await(120, TimeUnit.SECONDS);
      FakeNode.RunningAgent agent = world.node.agents().values().iterator().next();
      // the agent serves only the holder of the secret that reached it through its Secret
      Throwable refused =
          AgentClient.connect(
                  world.vertx, endpoint.host(), endpoint.port(), new AgentClientOptions())
              .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
              .await(30, TimeUnit.SECONDS);
      assertTrue(
          refused instanceof dev.mirrordj.protocol.client.RemoteErrnoException r
              && r.errno() == dev.mirrordj.protocol.Errno.EACCES,
          "a client without the secret is refused: " + refused);
      AgentClient agentClient =
          AgentClient.connect(
                  world.vertx,
                  endpoint.host(),
                  endpoint.port(),
                  new AgentClientOptions().secret(endpoint.secret()))
              .await(30, TimeUnit.SECONDS);
      Lookups.EnvReply env =
          agentClient
              .request(new Lookups.GetEnv(List.of("APP_MODE"), List.of()), Lookups.EnvReply.class)
              .await(30, TimeUnit.SECONDS);
      assertEquals(Map.of("APP_MODE", "kube-e2e"), env.vars());
      Lookups.NameReply hostname =
          agentClient
              .request(new Lookups.GetHostname(), Lookups.NameReply.class)
              .await(30, TimeUnit.SECONDS);
      assertEquals("web-7d9f", hostname.name());
      assertEquals(
          "from the pod\n",
          agentClient.fetchFile("/app/kube.txt").await(30, TimeUnit.SECONDS).toString());
      agentClient.close().await(10, TimeUnit.SECONDS);

      endpoint.close();
      awaitExit(agent);
      assertTrue(
          progress.stream().anyMatch(p -> p.startsWith("agent ready in pod")), progress.toString());
    }
  }

  @Test
  void runWithAPodTargetExecutesTheProgramInsideThePod() throws Exception {
    Root.requireRoot();
    try (KubeWorld world = new KubeWorld(server, hostRoot)) {
      Path config =
          Files.writeString(
              work.resolve("mirrord.json"),
              "{\"kubeconfig\": \""
                  + world.kubeconfig(work)
                  + "\", \"target\": {\"path\": \"pod/web\", \"namespace\": \""
                  + world.ns
                  + "\"}}");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.mirrordj.cli.Main",
                  "run",
                  "-f",
                  config.toString(),
                  "--",
                  "bash",
                  "-c",
                  "echo \"$APP_MODE\"; cat /app/kube.txt; hostname"));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
      pb.environment().put("MIRRORD_PROGRESS_MODE", "simple");
      Path out = work.resolve("out.txt");
      Path err = work.resolve("err.txt");
      pb.redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process run = pb.start();
      try {
        assertTrue(
            run.waitFor(180, TimeUnit.SECONDS), "run did not finish: " + Files.readString(err));
      } finally {
        run.descendants().forEach(ProcessHandle::destroyForcibly);
        run.destroyForcibly();
      }
      String stderr = Files.readString(err);
      assertEquals(0, run.exitValue(), stderr);
      assertEquals(
          List.of("kube-e2e", "from the pod", "web-7d9f"),
          Files.readString(out).lines().toList(),
          stderr);
      assertTrue(stderr.contains("Ready!"), stderr);
      FakeNode.RunningAgent agent = world.node.agents().values().iterator().next();
      awaitExit(agent);
      assertTrue(
          world.nodeClient.batch().v1().jobs().inNamespace(world.ns).list().getItems().isEmpty(),
          "run removed its agent job");
    }
  }

  private static void awaitExit(FakeNode.RunningAgent agent) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (agent.process().isAlive() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertTrue(!agent.process().isAlive(), "agent stopped after the session:\n" + agent.output());
  }
}
