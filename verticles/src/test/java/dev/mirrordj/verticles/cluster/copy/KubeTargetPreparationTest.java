package dev.mirrordj.verticles.cluster.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.verticles.kube.KubeClients;
import dev.mirrordj.verticles.kube.TargetRef;
import dev.mirrordj.verticles.kube.TargetResolutionException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * copy_target and scale_down against the mock API in CRUD mode, with {@link CopyKubelet} starting
 * copy pods: what the copy keeps and loses, the wait for Ready and its failures, the deployment's
 * replicas while the copy lives and after, and idempotent release.
 */
@ExtendWith(VertxExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class KubeTargetPreparationTest {
  static KubernetesMockServer server;
  static KubernetesClient api;
  private final String ns = "copy-" + System.nanoTime();
  private final List<String> progress = new CopyOnWriteArrayList<>();
  private final List<UndoRecord> journal = new CopyOnWriteArrayList<>();
  private volatile CopyKubelet.Outcome outcome = CopyKubelet.Outcome.READY;
  private Vertx vertx;
  private KubernetesClient client;
  private CopyKubelet kubelet;
  private KubeTargetPreparation preparation;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    client = KubeClients.create(vertx, config());
    kubelet = new CopyKubelet(api, ns, pod -> outcome);
    preparation = new KubeTargetPreparation(vertx, client, progress::add);
    api.pods()
        .inNamespace(ns)
        .resource(CopyFixtures.replicaPod(ns, "web", Map.of("app", "web")))
        .create();
    api.apps()
        .deployments()
        .inNamespace(ns)
        .resource(CopyFixtures.deployment(ns, "api", 3))
        .create();
    api.batch().v1().jobs().inNamespace(ns).resource(CopyFixtures.job(ns, "nightly")).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    kubelet.close();
    client.close();
  }

  private Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(server.url("/"))
        .withNamespace(ns)
        .withRequestTimeout(5000)
        .build();
  }

  private PreparationRequest request(String target, boolean copy, boolean scaleDown) {
    return new PreparationRequest(
        "sess-" + System.nanoTime(),
        "alice",
        TargetRef.parse(target),
        ns,
        copy,
        scaleDown,
        Duration.ofSeconds(20));
  }

  private PreparedTarget prepare(PreparationRequest request) {
    return await(
        preparation.prepare(
            request,
            r -> {
              journal.add(r);
              return Future.succeededFuture();
            }));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(40, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The failure of {@code future}; {@code await} rethrows a runtime exception as it is. */
  private static Throwable failure(Future<?> future) {
    try {
      future.await(40, TimeUnit.SECONDS);
    } catch (Throwable t) {
      return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  private Pod pod(String name) {
    return api.pods().inNamespace(ns).withName(name).get();
  }

  private List<Pod> copies() {
    return api.pods().inNamespace(ns).withLabel(CopyMarkers.SESSION_LABEL).list().getItems();
  }

  private int replicas(String deployment) {
    return api.apps()
        .deployments()
        .inNamespace(ns)
        .withName(deployment)
        .get()
        .getSpec()
        .getReplicas();
  }

  private Map<String, String> deploymentAnnotations(String deployment) {
    var a =
        api.apps()
            .deployments()
            .inNamespace(ns)
            .withName(deployment)
            .get()
            .getMetadata()
            .getAnnotations();
    return a == null ? Map.of() : a;
  }

  private static void assertNoProbes(Pod copy) {
    for (Container c : copy.getSpec().getContainers()) {
      assertNull(c.getLivenessProbe(), c.getName() + " liveness");
      assertNull(c.getReadinessProbe(), c.getName() + " readiness");
      assertNull(c.getStartupProbe(), c.getName() + " startup");
    }
  }

  private static void assertMarked(Pod copy, PreparationRequest request, String source) {
    var labels = copy.getMetadata().getLabels();
    var annotations = copy.getMetadata().getAnnotations();
    assertEquals(
        CopyMarkers.labelValue(request.sessionId()), labels.get(CopyMarkers.SESSION_LABEL));
    assertEquals(request.sessionId(), annotations.get(CopyMarkers.SESSION_ANNOTATION));
    assertEquals("alice", annotations.get(CopyMarkers.OWNER_ANNOTATION));
    assertEquals(source, annotations.get(CopyMarkers.SOURCE_ANNOTATION));
    assertTrue(
        copy.getMetadata().getOwnerReferences() == null
            || copy.getMetadata().getOwnerReferences().isEmpty(),
        "a copy belongs to no controller");
  }

  @Test
  void copyOfAPodKeepsItsLabelsLosesProbesAndIsDeletedAtRelease() {
    PreparationRequest request = request("pod/web", true, false);
    PreparedTarget prepared = prepare(request);

    String copyName = prepared.target().name();
    assertEquals(TargetRef.Kind.POD, prepared.target().kind());
    assertTrue(copyName.matches("web-copy-[a-z0-9]{5}"), copyName);
    assertEquals(ns, prepared.namespace());
    Pod copy = pod(copyName);
    assertTrue(CopyReadiness.isReady(copy), "the session gets the copy only once it is Ready");
    assertEquals("web", copy.getMetadata().getLabels().get("app"), "Services still select it");
    assertFalse(
        copy.getMetadata().getLabels().containsKey("pod-template-hash"),
        "the ReplicaSet must not adopt the copy");
    assertEquals("payments", copy.getMetadata().getAnnotations().get("team"));
    assertMarked(copy, request, "pod/web");
    assertNoProbes(copy);
    assertNull(copy.getSpec().getNodeName(), "the scheduler places the copy");
    assertEquals("APP_MODE", copy.getSpec().getContainers().get(0).getEnv().get(0).getName());
    assertEquals("app:1", copy.getSpec().getContainers().get(0).getImage());
    assertNotNull(
        pod("web").getSpec().getContainers().get(0).getLivenessProbe(),
        "the original keeps its probes");

    UndoRecord record = prepared.undo().orElseThrow();
    assertEquals(UndoRecord.copyOnly(request.sessionId(), "alice", ns, copyName), record);
    assertEquals(List.of(record), journal, "saved before the copy was created");
    assertTrue(
        progress.stream().anyMatch(p -> p.startsWith("creating copy pod")), progress.toString());
    assertTrue(progress.stream().anyMatch(p -> p.contains("is ready")), progress.toString());

    await(preparation.release(record));
    assertNull(pod(copyName), "the copy is deleted when the session ends");
    assertTrue(CopyReadiness.isReady(pod("web")), "the original is untouched");
    await(preparation.release(record)); // twice: harmless
  }

  @Test
  void copyOfADeploymentIsMadeFromItsTemplateAndNamesTheContainer() {
    PreparationRequest request = request("deployment/api/container/main", true, false);
    PreparedTarget prepared = prepare(request);

    assertEquals(Optional.of("main"), prepared.target().container());
    Pod copy = pod(prepared.target().name());
    assertTrue(prepared.target().name().startsWith("api-copy-"), prepared.target().name());
    assertEquals("api", copy.getMetadata().getLabels().get("app"));
    assertEquals("backend", copy.getMetadata().getLabels().get("tier"));
    assertEquals("true", copy.getMetadata().getAnnotations().get("prometheus.io/scrape"));
    assertMarked(copy, request, "deployment/api");
    assertNoProbes(copy);
    assertEquals(3, replicas("api"), "without scale_down the deployment keeps its replicas");

    await(preparation.release(prepared.undo().orElseThrow()));
    assertTrue(copies().isEmpty());
  }

  @Test
  void jobTargetWithCopyTargetGetsABarePodFromTheTemplate() {
    PreparationRequest request = request("job/nightly", true, false);
    PreparedTarget prepared = prepare(request);

    Pod copy = pod(prepared.target().name());
    assertEquals("Never", copy.getSpec().getRestartPolicy(), "a job's copy runs once");
    var labels = copy.getMetadata().getLabels();
    assertEquals("reports", labels.get("app"));
    for (String controllerLabel :
        List.of(
            "job-name",
            "controller-uid",
            "batch.kubernetes.io/job-name",
            "batch.kubernetes.io/controller-uid")) {
      assertFalse(
          labels.containsKey(controllerLabel), controllerLabel + " would let the Job adopt it");
    }
    assertMarked(copy, request, "job/nightly");
    assertNoProbes(copy);
    assertEquals(
        List.of("nightly"),
        api.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
            .map(j -> j.getMetadata().getName())
            .toList(),
        "no Job is created for the copy");

    await(preparation.release(prepared.undo().orElseThrow()));
    assertTrue(copies().isEmpty());
  }

  @Test
  void jobTargetWithoutCopyTargetIsRefusedSayingWhatToSet() {
    Throwable err = failure(preparation.prepare(request("job/nightly", false, false)));
    assertInstanceOf(UnsupportedTargetException.class, err);
    assertTrue(
        err.getMessage().contains("job/nightly")
            && err.getMessage().contains("set feature.copy_target to true"),
        err.getMessage());
    assertTrue(copies().isEmpty());
  }

  @Test
  void withoutCopyTargetNothingChangesAndTheTargetIsKept() {
    PreparedTarget prepared = prepare(request("deployment/api", false, false));
    assertEquals(TargetRef.parse("deployment/api"), prepared.target());
    assertEquals(Optional.empty(), prepared.undo());
    assertTrue(journal.isEmpty());
    assertTrue(copies().isEmpty());
  }

  @Test
  void aCopyThatNeverBecomesReadyTimesOutNamingThePodAndIsDeleted() {
    outcome = CopyKubelet.Outcome.NEVER_READY;
    PreparationRequest request =
        new PreparationRequest(
            "sess-slow",
            "alice",
            TargetRef.parse("pod/web"),
            ns,
            true,
            false,
            Duration.ofSeconds(1));
    Throwable err =
        failure(
            preparation.prepare(
                request,
                r -> {
                  journal.add(r);
                  return Future.succeededFuture();
                }));
    assertInstanceOf(CopyNotReadyException.class, err);
    String copyName = journal.get(0).copyPod();
    assertTrue(
        err.getMessage().contains("copy pod " + ns + "/" + copyName)
            && err.getMessage().contains("after 1 s (agent.startup_timeout)")
            && err.getMessage()
                .contains("last status: phase Pending, Ready=False (ContainersNotReady)")
            && err.getMessage().contains("container app waiting: ContainerCreating"),
        err.getMessage());
    assertNull(pod(copyName), "a copy that failed is deleted");
  }

  @Test
  void aCopyDeletedWhileAwaitedEndsTheWait() throws Exception {
    outcome = CopyKubelet.Outcome.NEVER_READY;
    Future<PreparedTarget> preparing =
        preparation.prepare(
            new PreparationRequest(
                "sess-gone",
                "alice",
                TargetRef.parse("pod/web"),
                ns,
                true,
                false,
                Duration.ofSeconds(60)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (copies().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "no copy was created");
      Thread.sleep(20);
    }
    String copyName = copies().get(0).getMetadata().getName();
    api.pods().inNamespace(ns).withName(copyName).delete();
    Throwable err = failure(preparing);
    assertInstanceOf(CopyNotReadyException.class, err);
    assertEquals(
        "copy pod " + ns + "/" + copyName + " was deleted while waiting for it to be ready",
        err.getMessage());
  }

  @Test
  void anImagePullErrorEndsTheWaitAtOnce() {
    outcome = CopyKubelet.Outcome.IMAGE_PULL_ERROR;
    long start = System.nanoTime();
    Throwable err =
        failure(
            preparation.prepare(
                new PreparationRequest(
                    "sess-pull",
                    "alice",
                    TargetRef.parse("deployment/api"),
                    ns,
                    true,
                    true,
                    Duration.ofSeconds(60))));
    assertInstanceOf(CopyNotReadyException.class, err);
    assertTrue(
        err.getMessage()
            .contains(
                "cannot start: container main waiting: ErrImagePull: pull access denied for main:1"),
        err.getMessage());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30,
        "failed fast, not after the 60 s timeout");
    assertTrue(copies().isEmpty(), "the failed copy is deleted");
    assertEquals(3, replicas("api"), "nothing is scaled down for a copy that never became ready");
  }

  @Test
  void scaleDownHoldsTheDeploymentAtZeroWhileTheCopyLivesAndRestoresIt() {
    PreparationRequest request = request("deployment/api", true, true);
    PreparedTarget prepared = prepare(request);

    UndoRecord record = prepared.undo().orElseThrow();
    assertEquals("api", record.deployment());
    assertEquals(3, record.originalReplicas());
    assertEquals(0, replicas("api"), "scaled to 0 while the copy lives");
    assertTrue(CopyReadiness.isReady(pod(record.copyPod())));
    assertEquals("3", deploymentAnnotations("api").get(CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION));
    assertEquals(
        List.of(UndoRecord.copyOnly(request.sessionId(), "alice", ns, record.copyPod()), record),
        journal,
        "each change is journalled before it is made");

    // Released by "another node": a fresh client and the record as it came out of a map.
    KubernetesClient other = KubeClients.create(vertx, config());
    try {
      var elsewhere = new KubeTargetPreparation(vertx, other, s -> {});
      UndoRecord stored =
          UndoRecord.fromJson(new io.vertx.core.json.JsonObject(record.toJson().encode()));
      await(elsewhere.release(stored));
      assertEquals(3, replicas("api"), "original replicas restored");
      assertNull(pod(record.copyPod()));
      assertFalse(
          deploymentAnnotations("api").containsKey(CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION));
      assertFalse(deploymentAnnotations("api").containsKey(CopyMarkers.SCALED_BY_ANNOTATION));

      await(elsewhere.release(stored));
      await(preparation.release(record));
      assertEquals(3, replicas("api"), "releasing again changes nothing");
    } finally {
      other.close();
    }
  }

  @Test
  void releaseAfterTheCopyWasDeletedByHandStillRestoresReplicas() {
    UndoRecord record = prepare(request("deployment/api", true, true)).undo().orElseThrow();
    api.pods().inNamespace(ns).withName(record.copyPod()).delete();
    assertEquals(0, replicas("api"));

    await(preparation.release(record));
    assertEquals(3, replicas("api"));
  }

  @Test
  void overlappingScaleDownsRestoreTheTrueOriginalWhenTheLastSessionEnds() {
    UndoRecord first = prepare(request("deployment/api", true, true)).undo().orElseThrow();
    UndoRecord second = prepare(request("deployment/api", true, true)).undo().orElseThrow();
    assertEquals(3, second.originalReplicas(), "not the 0 the first session left");

    await(preparation.release(first));
    assertEquals(0, replicas("api"), "the second copy still lives: stay at 0");
    assertNull(pod(first.copyPod()));
    assertTrue(CopyReadiness.isReady(pod(second.copyPod())));

    await(preparation.release(second));
    assertEquals(3, replicas("api"));
  }

  @Test
  void scaleDownOnAnythingButADeploymentIsRefused() {
    for (String target : List.of("pod/web", "job/nightly")) {
      Throwable err = failure(preparation.prepare(request(target, true, true)));
      assertInstanceOf(UnsupportedTargetException.class, err);
      assertTrue(
          err.getMessage().contains("scale_down applies only to deployment targets, not " + target),
          err.getMessage());
    }
    assertTrue(copies().isEmpty(), "refused before anything was created");
    assertEquals(3, replicas("api"));
  }

  @Test
  void aMissingTargetIsNamed() {
    Throwable err = failure(preparation.prepare(request("deployment/ghost", true, false)));
    assertInstanceOf(TargetResolutionException.class, err);
    assertTrue(
        err.getMessage().contains("deployment 'ghost' not found in namespace '" + ns + "'"),
        err.getMessage());
    assertTrue(journal.isEmpty() && copies().isEmpty());
  }

  @Test
  void aFailedJournalSaveStopsBeforeTheCopyIsCreated() {
    Throwable err =
        failure(
            preparation.prepare(
                request("pod/web", true, false),
                r -> Future.failedFuture(new IllegalStateException("map unavailable"))));
    assertEquals("map unavailable", err.getMessage());
    assertTrue(copies().isEmpty());
  }

  @Test
  void leftoversAreRebuiltFromTheClusterAndReleaseLikeJournalledRecords() {
    api.apps()
        .deployments()
        .inNamespace(ns)
        .resource(CopyFixtures.deployment(ns, "cart", 2))
        .create();
    UndoRecord scaled = prepare(request("deployment/api", true, true)).undo().orElseThrow();
    UndoRecord copied = prepare(request("pod/web", true, false)).undo().orElseThrow();
    UndoRecord orphaned = prepare(request("deployment/cart", true, true)).undo().orElseThrow();
    api.pods().inNamespace(ns).withName(orphaned.copyPod()).delete();
    assertEquals(0, replicas("cart"));

    // Every node lost, no map: the cluster alone says what to undo.
    var scan = new LeftoverScan(vertx, client);
    List<UndoRecord> found = await(scan.scan(Optional.of(ns)));
    UndoRecord cartOnly = new UndoRecord(orphaned.sessionId(), null, ns, null, "cart", 2);
    assertEquals(Set.of(scaled, copied, cartOnly), Set.copyOf(found));
    assertTrue(await(scan.scan(Optional.empty())).containsAll(found), "any namespace");

    for (UndoRecord r : found) {
      await(preparation.release(r));
    }
    assertEquals(3, replicas("api"));
    assertEquals(2, replicas("cart"));
    assertTrue(copies().isEmpty());
    assertEquals(List.of(), await(scan.scan(Optional.of(ns))));
  }

  @Test
  void releaseLeavesAPodThatIsNotThisSessionsCopyAlone() {
    await(preparation.release(UndoRecord.copyOnly("sess-x", "mallory", ns, "web")));
    assertTrue(CopyReadiness.isReady(pod("web")), "a record naming the original deletes nothing");
  }
}
