package dev.mirrordj.e2e.containers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller-manager's part of the test cluster, reduced to what the CLI relies on: the Job
 * controller (one pod per Job, labelled {@code job-name} and {@code controller-uid}, the Job's
 * status once the pod ends), the Deployment controller (its replica count of pods from the
 * template, labelled as the template says; no ReplicaSet object in between) and the garbage
 * collector (pods whose owner is gone are deleted, as background propagation does). The pods it
 * creates are run by {@link ContainerKubelet}.
 */
final class WorkloadControllers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadControllers.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM = "bcdfghjklmnpqrstvwxz2456789";

  private final KubernetesClient client;
  private final Set<String> jobsWithPods = ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean active = true;

  WorkloadControllers(KubernetesClient client) {
    this.client = client;
    this.loop = new Thread(this::run, "workload-controllers");
    loop.setDaemon(true);
    loop.start();
  }

  private void run() {
    while (active) {
      try {
        step();
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (active) {
          LOG.warn("controller step failed", e);
        }
      }
    }
  }

  private void step() {
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    List<Job> jobs = client.batch().v1().jobs().inAnyNamespace().list().getItems();
    List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
    Set<String> owners =
        Stream.concat(jobs.stream(), deployments.stream())
            .map(o -> o.getMetadata().getUid())
            .collect(Collectors.toSet());
    for (Pod pod : pods) {
      Optional<OwnerReference> owner =
          Optional.ofNullable(pod.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
              .filter(r -> Boolean.TRUE.equals(r.getController()))
              .findFirst();
      if (owner.isPresent() && !owners.contains(owner.get().getUid())) {
        LOG.info(
            "owner {} of pod {}/{} is gone: deleting the pod",
            owner.get().getName(),
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName());
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).delete();
      }
    }
    for (Job job : jobs) {
      List<Pod> owned = ownedBy(pods, job);
      if (owned.isEmpty() && jobsWithPods.add(job.getMetadata().getUid())) {
        // backoffLimit 0 and restartPolicy Never, as the agent Job has: one pod, never replaced
        Map<String, String> labels = new HashMap<>();
        labels.put("job-name", job.getMetadata().getName());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        labels.put("controller-uid", job.getMetadata().getUid());
        createPod(job, job.getSpec().getTemplate(), job.getMetadata().getName() + "-", labels);
      }
      owned.stream()
          .map(p -> p.getStatus() == null ? null : p.getStatus().getPhase())
          .filter(phase -> "Succeeded".equals(phase) || "Failed".equals(phase))
          .findFirst()
          .ifPresent(phase -> finish(job, phase));
    }
    for (Deployment d : deployments) {
      int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
      List<Pod> owned = ownedBy(pods, d);
      String hash = templateHash(d.getSpec().getTemplate());
      for (int i = owned.size(); i < replicas; i++) {
        createPod(
            d,
            d.getSpec().getTemplate(),
            d.getMetadata().getName() + "-" + hash + "-",
            Map.of("pod-template-hash", hash));
      }
    }
  }

  private static List<Pod> ownedBy(List<Pod> pods, HasMetadata owner) {
    return pods.stream()
        .filter(
            p ->
                Optional.ofNullable(p.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                    .anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid())))
        .toList();
  }

  private void createPod(
      HasMetadata owner, PodTemplateSpec template, String prefix, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.putAll(extraLabels);
    String name = prefix + suffix(5);
    String ns = owner.getMetadata().getNamespace();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .withLabels(labels)
            .withAnnotations(
                template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(owner.getApiVersion())
                    .withKind(owner.getKind())
                    .withName(owner.getMetadata().getName())
                    .withUid(owner.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .endMetadata()
            .withSpec(template.getSpec())
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    LOG.info("{} {}/{}: creating pod {}", owner.getKind(), ns, owner.getMetadata().getName(), name);
    client.pods().inNamespace(ns).resource(pod).create();
  }

  private void finish(Job job, String phase) {
    boolean done =
        job.getStatus() != null
            && job.getStatus().getConditions() != null
            && !job.getStatus().getConditions().isEmpty();
    if (done) {
      return;
    }
    boolean ok = phase.equals("Succeeded");
    String now = Instant.now().toString();
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName())
          .edit(
              j ->
                  new JobBuilder(j)
                      .editOrNewStatus()
                      .withSucceeded(ok ? 1 : 0)
                      .withFailed(ok ? 0 : 1)
                      .withCompletionTime(ok ? now : null)
                      .addNewCondition()
                      .withType(ok ? "Complete" : "Failed")
                      .withStatus("True")
                      .withReason(ok ? null : "BackoffLimitExceeded")
                      .withLastTransitionTime(now)
                      .endCondition()
                      .endStatus()
                      .build());
    } catch (RuntimeException e) {
      // deleted meanwhile: nothing to report on
      LOG.debug("job {} not updated: {}", job.getMetadata().getName(), e.toString());
    }
  }

  /** A stable stand-in for the pod-template-hash: the template's content, hashed. */
  private static String templateHash(PodTemplateSpec template) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest(String.valueOf(template).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    StringBuilder s = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      s.append(ALNUM.charAt((digest[i] & 0xff) % ALNUM.length()));
    }
    return s.toString();
  }

  private static String suffix(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    }
    return s.toString();
  }

  @Override
  public void close() throws InterruptedException {
    active = false;
    loop.interrupt();
    loop.join(10_000);
  }
}
