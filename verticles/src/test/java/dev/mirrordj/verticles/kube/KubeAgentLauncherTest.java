package dev.mirrordj.verticles.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.auth.SharedSecret;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher against the mock API with a fake kubelet: Job creation, ready-line wait, image pull
 * fail-fast, startup timeout, cleanup, and the ephemeral variant. The client runs on our own
 * Vert.x.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeAgentLauncherTest {
  static KubernetesMockServer server;
  static KubernetesClient mockClient;
  private final String ns = "ns-" + System.nanoTime();
  private final List<String> progress = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private KubernetesClient client;
  private FakeKubelet kubelet;
  private volatile FakeKubelet.Outcome outcome = FakeKubelet.Outcome.READY;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url("/"))
            .withNamespace(ns)
            .withRequestTimeout(5000)
            .build();
    client = KubeClients.create(vertx, config);
    kubelet = new FakeKubelet(server, client, ns, name -> outcome);
    client
        .pods()
        .inNamespace(ns)
        .resource(Pods.running(ns, "web", Map.of("app", "web"), "app").build())
        .create();
  }

  @AfterEach
  void tearDown() throws Exception {
    kubelet.close();
    client.close();
    vertx.close().await();
  }

  private KubeAgentLauncher launcher() {
    return new KubeAgentLauncher(vertx, client, progress::add);
  }

  private List<Job> agentJobs() {
    return client.batch().v1().jobs().inNamespace(ns).withLabel("app", "mirrord").list().getItems();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void targetedJobBecomesReadyAndIsDeletedWhenTheSessionEnds() throws Exception {
    AgentEndpoint endpoint =
        launcher()
            .launch(AgentLaunchRequest.of("pod/web", ns, AgentSettings.withDefaults()))
            .await(30, TimeUnit.SECONDS);
    assertEquals("127.0.0.1", endpoint.host());
    assertTrue(endpoint.port() > 0);
    assertEquals(FakeKubelet.VERSION, endpoint.version());
    List<Job> jobs = agentJobs();
    assertEquals(1, jobs.size());
    Job job = jobs.get(0);
    assertTrue(
        job.getMetadata().getName().matches("mirrord-agent-[a-z0-9]{10}"),
        job.getMetadata().getName());
    assertEquals("node-1", job.getSpec().getTemplate().getSpec().getNodeName());
    assertEquals(job.getMetadata().getName() + "-x7k2p", endpoint.podName());
    List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertEquals(
        List.of("--container-id", Pods.idFor("web", "app"), "--container-runtime", "containerd"),
        args.subList(4, 8));
    assertTrue(
        progress.stream().anyMatch(p -> p.startsWith("creating agent job")), progress.toString());
    assertTrue(
        progress.stream().anyMatch(p -> p.startsWith("agent ready in pod")), progress.toString());
    assertTrue(
        progress.stream().anyMatch(p -> p.startsWith("port-forwarding to agent")),
        progress.toString());

    endpoint.close();
    await("agent job deletion", () -> agentJobs().isEmpty());
    await(
        "agent pod garbage collection",
        () -> client.pods().inNamespace(ns).withName(endpoint.podName()).get() == null);
  }

  @Test
  void everyAgentOptionSurvivesTheRoundTripThroughTheApi() throws Exception {
    AgentSettings s =
        AgentSettings.withDefaults().toBuilder()
            .image("registry.local/mirrordj:dev")
            .imagePullPolicy("Always")
            .imagePullSecrets(List.of("regcred"))
            .labels(Map.of("user", "meow"))
            .annotations(Map.of("cats.io/inject", "enabled"))
            .ttl(30)
            .privileged(true)
            .disabledCapabilities(List.of("SYS_ADMIN"))
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
            .nftables(java.util.Optional.of(true))
            .flushConnections(false)
            .networkInterface(java.util.Optional.of("eth1"))
            .dnsTimeout(java.util.OptionalInt.of(3))
            .dnsAttempts(java.util.OptionalInt.of(2))
            .logLevel("debug")
            .jsonLog(true)
            .communicationTimeout(90)
            .namespace(java.util.Optional.of(ns))
            .build();
    AgentEndpoint endpoint =
        launcher().launch(AgentLaunchRequest.of("pod/web", ns, s)).await(30, TimeUnit.SECONDS);
    try {
      Job stored = agentJobs().get(0);
      ResolvedTarget target = new TargetResolver(client).resolve(TargetRef.parse("pod/web"), ns);
      int port =
          Integer.parseInt(
              stored.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(1));
      long gid =
          stored
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getSecurityContext()
              .getRunAsGroup();
      Job expected =
          AgentPodSpecs.job(
              s,
              stored.getMetadata().getName(),
              ns,
              port,
              target,
              (int) gid,
              stored.getMetadata().getName());
      // Compared as JSON: the API form (an empty list and an absent one are the same document).
      assertEquals(
          io.fabric8.kubernetes.client.utils.Serialization.asJson(expected.getSpec()),
          io.fabric8.kubernetes.client.utils.Serialization.asJson(stored.getSpec()),
          "the API stored exactly the spec we built");
      assertEquals(expected.getMetadata().getLabels(), stored.getMetadata().getLabels());
      assertEquals(expected.getMetadata().getAnnotations(), stored.getMetadata().getAnnotations());
    } finally {
      endpoint.close();
    }
  }

  @Test
  void configEntryPointLaunchesAndItsCloseDeletesTheJobBeforeReturning(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path kubeconfig =
        java.nio.file.Files.writeString(
            dir.resolve("kubeconfig"),
            """
        apiVersion: v1
        kind: Config
        current-context: mock
        clusters: [{name: mock, cluster: {server: "%s"}}]
        contexts: [{name: mock, context: {cluster: mock, user: u, namespace: %s}}]
        users: [{name: u, user: {token: t}}]
        """
                .formatted(server.url("/"), ns));
    String json =
        "{\"kubeconfig\": \""
            + kubeconfig
            + "\", \"target\": \"pod/web\","
            + " \"agent\": {\"startup_timeout\": 30, \"labels\": {\"owner\": \"entry-point\"}}}";
    dev.mirrordj.config.MirrordConfig config =
        dev.mirrordj.config.ConfigResolver.resolve(
                new dev.mirrordj.config.ConfigSource.Text(
                    json, dev.mirrordj.config.load.ConfigFormat.JSON, "test"),
                Map.of(),
                Map.of(),
                false)
            .orThrow();
    AgentEndpoint endpoint =
        KubeAgentLauncher.launch(config, vertx, progress::add).await(30, TimeUnit.SECONDS);
    assertEquals("entry-point", agentJobs().get(0).getMetadata().getLabels().get("owner"));
    assertTrue(endpoint.port() > 0);
    endpoint.close(); // from this (non event-loop) thread: synchronous
    assertTrue(agentJobs().isEmpty(), "job deleted by the time close() returned");
  }

  @Test
  void targetlessJobRunsInTheTargetNamespaceWithoutNode() throws Exception {
    AgentEndpoint endpoint =
        launcher()
            .launch(
                new AgentLaunchRequest(
                    java.util.Optional.empty(),
                    java.util.Optional.of(ns),
                    AgentSettings.withDefaults()))
            .await(30, TimeUnit.SECONDS);
    Job job = agentJobs().get(0);
    assertNull(job.getSpec().getTemplate().getSpec().getNodeName());
    assertTrue(
        job.getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs()
            .contains("--targetless"));
    endpoint.close();
    await("agent job deletion", () -> agentJobs().isEmpty());
  }

  @Test
  void imagePullErrorFailsFastAndRemovesTheJob() throws Exception {
    outcome = FakeKubelet.Outcome.IMAGE_PULL_ERROR;
    AgentSettings settings = AgentSettings.withDefaults().toBuilder().startupTimeout(600).build();
    var future = launcher().launch(AgentLaunchRequest.of("pod/web", ns, settings));
    Exception e =
        assertThrows(
            Exception.class,
            () -> future.await(60, TimeUnit.SECONDS),
            "an image pull error must not wait out the 600 s startup timeout");
    assertInstanceOf(AgentStartupException.class, e);
    assertTrue(
        e.getMessage().contains("ErrImagePull")
            && e.getMessage().contains("pull access denied")
            && e.getMessage().contains("agent.image"),
        e.getMessage());
    assertTrue(agentJobs().isEmpty(), "the failed agent's job is deleted");
  }

  @Test
  void agentThatNeverPrintsTheReadyLineHitsTheStartupTimeout() throws Exception {
    outcome = FakeKubelet.Outcome.NEVER_READY;
    AgentSettings settings = AgentSettings.withDefaults().toBuilder().startupTimeout(2).build();
    var future = launcher().launch(AgentLaunchRequest.of("pod/web", ns, settings));
    Exception e = assertThrows(Exception.class, () -> future.await(60, TimeUnit.SECONDS));
    assertInstanceOf(AgentStartupException.class, e);
    assertTrue(
        e.getMessage().contains("after 2 s (agent.startup_timeout)")
            && e.getMessage().contains("ready line not printed yet"),
        e.getMessage());
    assertTrue(agentJobs().isEmpty(), "the timed-out agent's job is deleted");
  }

  @Test
  void agentThatExitsBeforeReadyIsReported() throws Exception {
    outcome = FakeKubelet.Outcome.CRASH;
    var future =
        launcher().launch(AgentLaunchRequest.of("pod/web", ns, AgentSettings.withDefaults()));
    Exception e = assertThrows(Exception.class, () -> future.await(60, TimeUnit.SECONDS));
    assertTrue(e.getMessage().contains("exited with code 1 before it was ready"), e.getMessage());
  }

  @Test
  void missingTargetFailsBeforeAnythingIsCreated() {
    var future =
        launcher().launch(AgentLaunchRequest.of("pod/ghost", ns, AgentSettings.withDefaults()));
    Exception e = assertThrows(Exception.class, () -> future.await(30, TimeUnit.SECONDS));
    assertInstanceOf(TargetResolutionException.class, e);
    assertTrue(agentJobs().isEmpty());
  }

  @Test
  void fullNodeIsRefusedUnlessTheCheckIsDisabled() throws Exception {
    client
        .nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName("node-1")
                .endMetadata()
                .withNewStatus()
                .addToAllocatable("pods", new io.fabric8.kubernetes.api.model.Quantity("1"))
                .endStatus()
                .build())
        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    // The CRUD mock ignores the spec.nodeName field selector; answer it as the API server would.
    server
        .expect()
        .get()
        .withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1")
        .andReturn(
            200,
            new io.fabric8.kubernetes.api.model.PodListBuilder()
                .addToItems(client.pods().inNamespace(ns).withName("web").get())
                .build())
        .times(1);
    try {
      var future =
          launcher().launch(AgentLaunchRequest.of("pod/web", ns, AgentSettings.withDefaults()));
      Exception e = assertThrows(Exception.class, () -> future.await(30, TimeUnit.SECONDS));
      assertTrue(
          e.getMessage().contains("node node-1 runs")
              && e.getMessage().contains("check_out_of_pods"),
          e.getMessage());
      assertTrue(agentJobs().isEmpty());
      AgentSettings unchecked =
          AgentSettings.withDefaults().toBuilder().checkOutOfPods(false).build();
      launcher()
          .launch(AgentLaunchRequest.of("pod/web", ns, unchecked))
          .await(30, TimeUnit.SECONDS)
          .close();
    } finally {
      client.nodes().withName("node-1").delete();
    }
  }

  @Test
  void ephemeralAgentIsPatchedIntoTheTargetPod() throws Exception {
    kubelet.acceptEphemeralContainers(ns, "web");
    AgentSettings settings = AgentSettings.withDefaults().toBuilder().ephemeral(true).build();
    AgentEndpoint endpoint =
        launcher()
            .launch(AgentLaunchRequest.of("pod/web", ns, settings))
            .await(30, TimeUnit.SECONDS);
    assertEquals("web", endpoint.podName());
    assertTrue(agentJobs().isEmpty(), "no job for an ephemeral agent");
    Pod pod = client.pods().inNamespace(ns).withName("web").get();
    var ec = pod.getSpec().getEphemeralContainers().get(0);
    assertEquals("app", ec.getTargetContainerName());
    assertTrue(ec.getName().startsWith("mirrord-agent-"), ec.getName());
    assertEquals(List.of("--target-pid", "1"), ec.getArgs().subList(4, 6));
    assertTrue(
        kubelet.ephemeralPatches.stream()
            .anyMatch(p -> p.contains("\"targetContainerName\":\"app\"")),
        kubelet.ephemeralPatches.toString());
    endpoint.close();
  }

  @Test
  void theAgentsSecretReachesItFromAKubernetesSecretOwnedByTheJobNeverFromItsArguments()
      throws Exception {
    AgentEndpoint endpoint =
        launcher()
            .launch(AgentLaunchRequest.of("pod/web", ns, AgentSettings.withDefaults()))
            .await(30, TimeUnit.SECONDS);
    assertNotNull(endpoint.secret(), "run gets the secret to prove");
    Job job = agentJobs().get(0);
    String jobName = job.getMetadata().getName();
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    var env =
        container.getEnv().stream()
            .filter(e -> e.getName().equals(SharedSecret.AGENT_VARIABLE))
            .toList();
    assertEquals(1, env.size(), container.getEnv().toString());
    assertNull(env.get(0).getValue(), "no plain value in the pod spec");
    var ref = env.get(0).getValueFrom().getSecretKeyRef();
    assertEquals(jobName, ref.getName());
    assertEquals(AgentPodSpecs.SECRET_KEY, ref.getKey());
    String spec = Serialization.asJson(job);
    assertFalse(spec.contains(endpoint.secret().text()), "the secret is nowhere in the Job");
    assertFalse(
        String.join(" ", container.getArgs()).contains(SharedSecret.AGENT_VARIABLE),
        container.getArgs().toString());

    Secret secret = client.secrets().inNamespace(ns).withName(jobName).get();
    assertNotNull(secret, "the Secret the Job refers to exists");
    String stored =
        secret.getData() != null && secret.getData().containsKey(AgentPodSpecs.SECRET_KEY)
            ? new String(
                java.util.Base64.getDecoder()
                    .decode(secret.getData().get(AgentPodSpecs.SECRET_KEY)),
                java.nio.charset.StandardCharsets.UTF_8)
            : secret.getStringData().get(AgentPodSpecs.SECRET_KEY);
    assertEquals(endpoint.secret().text(), stored);
    var owners = secret.getMetadata().getOwnerReferences();
    assertEquals(1, owners.size(), owners.toString());
    assertEquals("Job", owners.get(0).getKind());
    assertEquals(jobName, owners.get(0).getName());
    assertEquals(job.getMetadata().getUid(), owners.get(0).getUid());

    endpoint.close();
    await("agent job deletion", () -> agentJobs().isEmpty());
    await(
        "agent secret deletion",
        () -> client.secrets().inNamespace(ns).withName(jobName).get() == null);
  }

  @Test
  void aFailedLaunchLeavesNoSecretBehind() throws Exception {
    outcome = FakeKubelet.Outcome.CRASH;
    Throwable e =
        launcher()
            .launch(AgentLaunchRequest.of("pod/web", ns, AgentSettings.withDefaults()))
            .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
            .await(60, TimeUnit.SECONDS);
    assertNotNull(e, "the launch fails");
    await(
        "no agent secret left",
        () ->
            client
                .secrets()
                .inNamespace(ns)
                .withLabel("app", "mirrord")
                .list()
                .getItems()
                .isEmpty());
  }

  @Test
  void theEphemeralAgentGetsItsSecretFromASecretOwnedByTheTargetPod() throws Exception {
    kubelet.acceptEphemeralContainers(ns, "web");
    AgentSettings settings = AgentSettings.withDefaults().toBuilder().ephemeral(true).build();
    AgentEndpoint endpoint =
        launcher()
            .launch(AgentLaunchRequest.of("pod/web", ns, settings))
            .await(30, TimeUnit.SECONDS);
    Pod pod = client.pods().inNamespace(ns).withName("web").get();
    var ec = pod.getSpec().getEphemeralContainers().get(0);
    var ref =
        ec.getEnv().stream()
            .filter(e -> e.getName().equals(SharedSecret.AGENT_VARIABLE))
            .findFirst()
            .orElseThrow()
            .getValueFrom()
            .getSecretKeyRef();
    Secret secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
    assertNotNull(secret);
    assertEquals("Pod", secret.getMetadata().getOwnerReferences().get(0).getKind());
    assertEquals("web", secret.getMetadata().getOwnerReferences().get(0).getName());
    endpoint.close();
    await(
        "agent secret deletion",
        () -> client.secrets().inNamespace(ns).withName(ref.getName()).get() == null);
  }
}
