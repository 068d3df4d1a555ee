package dev.mirrordj.verticles.kube;

import dev.mirrordj.protocol.auth.SharedSecret;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the agent for a session and hands back where to reach it: resolve the target, create the
 * agent Job (or ephemeral container), wait for its ready line within {@code agent.startup_timeout},
 * then open a port-forward to it. Whatever fails after the Job exists deletes the Job again;
 * closing the returned {@link AgentEndpoint} ends the port-forward and deletes the Job. Each step
 * is reported through {@code progress}.
 */
public final class KubeAgentLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(KubeAgentLauncher.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Consumer<String> progress;

  public KubeAgentLauncher(Vertx vertx, KubernetesClient client, Consumer<String> progress) {
    this.vertx = vertx;
    this.client = client;
    this.progress = progress;
  }

  /**
   * The entry point for {@code run}: builds a Kubernetes client from the configuration on {@code
   * vertx}, launches the agent for the configured target and returns where to reach it. Closing the
   * endpoint ends the port-forward, deletes the agent Job and closes the client.
   */
  public static Future<AgentEndpoint> launch(
      dev.mirrordj.config.MirrordConfig config, Vertx vertx, Consumer<String> progress) {
    return vertx
        .executeBlocking(() -> KubeClients.create(vertx, KubeConfigAdapter.kube(config)), false)
        .compose(
            client -> {
              try {
                AgentLaunchRequest request = KubeConfigAdapter.request(config);
                return new KubeAgentLauncher(vertx, client, progress)
                    .launch(request, client::close)
                    .onFailure(err -> client.close());
              } catch (RuntimeException e) {
                client.close();
                return Future.failedFuture(e);
              }
            });
  }

  /** Launches the agent; the future fails with a typed exception whose message says what to fix. */
  public Future<AgentEndpoint> launch(AgentLaunchRequest request) {
    return launch(request, () -> {});
  }

  /**
   * As {@link #launch(AgentLaunchRequest)}; {@code afterRemoval} runs once the agent is removed.
   */
  private Future<AgentEndpoint> launch(AgentLaunchRequest request, Runnable afterRemoval) {
    return vertx
        .executeBlocking(
            () -> {
              try {
                return startAgent(request);
              } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                throw KubeApiException.of("starting the agent", client, e);
              }
            },
            false)
        .compose(
            placed -> {
              progress.accept(
                  "port-forwarding to agent "
                      + placed.namespace()
                      + "/"
                      + placed.podName()
                      + ":"
                      + placed.port());
              return AgentPortForward.open(
                      vertx, client, placed.namespace(), placed.podName(), placed.port())
                  .recover(
                      err ->
                          removeInBackground(placed)
                              .transform(
                                  removed ->
                                      Future.failedFuture(
                                          new AgentStartupException(
                                              "cannot open the port-forward to agent "
                                                  + placed.podName()
                                                  + ": "
                                                  + err.getMessage(),
                                              err))))
                  .map(
                      forward ->
                          new AgentEndpoint(
                              "127.0.0.1",
                              forward.localPort(),
                              placed.namespace(),
                              placed.podName(),
                              placed.version(),
                              placed.secret(),
                              () -> {
                                forward.close();
                                if (Context.isOnEventLoopThread()) {
                                  removeInBackground(placed).onComplete(done -> afterRemoval.run());
                                } else {
                                  // Typically the CLI's main thread on its way out: delete before
                                  // returning, so a
                                  // System.exit right after close() cannot cut the deletion short.
                                  placed.remove(client);
                                  afterRemoval.run();
                                }
                              }));
            });
  }

  /**
   * Creates the agent and waits until it is ready, without a port-forward: for callers that share
   * one agent between several clients, each opening its own {@link AgentPortForward} to {@link
   * PlacedAgent#podName()}:{@link PlacedAgent#port()} (the operator). The caller removes it.
   */
  public Future<PlacedAgent> place(AgentLaunchRequest request) {
    return vertx.executeBlocking(
        () -> {
          try {
            return startAgent(request);
          } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            throw KubeApiException.of("starting the agent", client, e);
          }
        },
        false);
  }

  private Future<Void> removeInBackground(PlacedAgent placed) {
    return vertx.executeBlocking(
        () -> {
          placed.remove(client);
          return null;
        },
        false);
  }

  private PlacedAgent startAgent(AgentLaunchRequest request) {
    AgentSettings agent = request.agent();
    String targetNs = request.targetNamespace().orElseGet(() -> KubeClients.namespaceOf(client));
    ResolvedTarget target = null;
    if (request.target().isPresent()) {
      progress.accept(
          "resolving target " + request.target().get().render() + " in namespace " + targetNs);
      target = new TargetResolver(client).resolve(request.target().get(), targetNs);
    }
    int port = 30000 + RANDOM.nextInt(35536);
    String name = "mirrord-agent-" + randomSuffix();
    Duration timeout = Duration.ofSeconds(agent.startupTimeout());
    if (target != null && agent.ephemeral()) {
      return startEphemeral(agent, name, port, target, timeout);
    }
    // Targetless agents live next to the target namespace; targeted Jobs where agent.namespace
    // says.
    String agentNs =
        target == null
            ? targetNs
            : agent.namespace().orElseGet(() -> KubeClients.namespaceOf(client));
    if (target != null && agent.checkOutOfPods()) {
      new NodeCapacityCheck(client).requireRoomOn(target.nodeName());
    }
    SharedSecret secret = SharedSecret.generate();
    Job job =
        AgentPodSpecs.job(agent, name, agentNs, port, target, 3000 + RANDOM.nextInt(62536), name);
    progress.accept(
        "creating agent job "
            + agentNs
            + "/"
            + name
            + (target == null ? " (targetless)" : " on node " + target.nodeName()));
    // the Secret first, so the agent's pod finds it when it starts
    client
        .secrets()
        .inNamespace(agentNs)
        .resource(AgentPodSpecs.secret(name, agentNs, secret.text()))
        .create();
    PlacedAgent placed =
        new PlacedAgent(agentNs, null, AgentPodSpecs.CONTAINER_NAME, port, name, null, secret);
    try {
      Job created = client.batch().v1().jobs().inNamespace(agentNs).resource(job).create();
      // owned by the Job: Kubernetes removes the Secret with it, whoever deletes the Job
      ownSecretBy(agentNs, name, ownerOf(created));
      AgentReadiness readiness = new AgentReadiness(client, agentNs, timeout);
      progress.accept("waiting for agent pod to be ready");
      String pod = readiness.jobPod(name);
      String version = readiness.readyLine(pod, AgentPodSpecs.CONTAINER_NAME, false);
      progress.accept("agent ready in pod " + pod + " (version " + version + ")");
      return new PlacedAgent(
          agentNs, pod, AgentPodSpecs.CONTAINER_NAME, port, name, version, secret);
    } catch (RuntimeException e) {
      placed.remove(client);
      throw e;
    }
  }

  private PlacedAgent startEphemeral(
      AgentSettings agent, String name, int port, ResolvedTarget target, Duration timeout) {
    if (agent.namespace().isPresent()) {
      LOG.warn("agent.namespace is ignored for an ephemeral agent: it runs in the target pod");
    }
    SharedSecret secret = SharedSecret.generate();
    EphemeralContainer container = AgentPodSpecs.ephemeral(agent, name, port, target, name);
    progress.accept("adding ephemeral agent container " + name + " to pod " + target.podName());
    client
        .secrets()
        .inNamespace(target.namespace())
        .resource(AgentPodSpecs.secret(name, target.namespace(), secret.text()))
        .create();
    // an ephemeral container cannot own anything: the target pod does, so the Secret goes with it
    // at the latest (and with the session's end, below, at the earliest)
    io.fabric8.kubernetes.api.model.Pod targetPod =
        client.pods().inNamespace(target.namespace()).withName(target.podName()).get();
    PlacedAgent placed =
        new PlacedAgent(target.namespace(), target.podName(), name, port, null, null, secret, name);
    try {
      if (targetPod != null) {
        ownSecretBy(target.namespace(), name, ownerOf(targetPod));
      }
      return startEphemeral(target, name, container, timeout, placed);
    } catch (RuntimeException e) {
      placed.remove(client);
      throw e;
    }
  }

  private PlacedAgent startEphemeral(
      ResolvedTarget target,
      String name,
      EphemeralContainer container,
      Duration timeout,
      PlacedAgent placed) {
    client
        .pods()
        .inNamespace(target.namespace())
        .withName(target.podName())
        .ephemeralContainers()
        .edit(
            pod ->
                new PodBuilder(pod)
                    .editSpec()
                    .addToEphemeralContainers(container)
                    .endSpec()
                    .build());
    progress.accept("waiting for the ephemeral agent to be ready");
    String version =
        new AgentReadiness(client, target.namespace(), timeout)
            .readyLine(target.podName(), name, true);
    progress.accept("agent ready in pod " + target.podName() + " (version " + version + ")");
    return new PlacedAgent(
        placed.namespace(),
        placed.podName(),
        name,
        placed.port(),
        null,
        version,
        placed.secret(),
        name);
  }

  private static OwnerReference ownerOf(io.fabric8.kubernetes.api.model.HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withBlockOwnerDeletion(false)
        .build();
  }

  private void ownSecretBy(String namespace, String secretName, OwnerReference owner) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName(secretName)
        .edit(
            secret ->
                new SecretBuilder(secret)
                    .editMetadata()
                    .withOwnerReferences(owner)
                    .endMetadata()
                    .build());
  }

  private static String randomSuffix() {
    StringBuilder s = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      s.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    }
    return s.toString();
  }

  /**
   * An agent that exists in the cluster; {@code jobName == null} for an ephemeral container. Its
   * Secret is named {@code secretName}.
   */
  public record PlacedAgent(
      String namespace,
      String podName,
      String container,
      int port,
      String jobName,
      String version,
      SharedSecret secret,
      String secretName) {

    /** A recorded agent, to be removed: its Secret is named after its Job. */
    public PlacedAgent(
        String namespace,
        String podName,
        String container,
        int port,
        String jobName,
        String version) {
      this(namespace, podName, container, port, jobName, version, null, jobName);
    }

    PlacedAgent(
        String namespace,
        String podName,
        String container,
        int port,
        String jobName,
        String version,
        SharedSecret secret) {
      this(namespace, podName, container, port, jobName, version, secret, jobName);
    }

    /**
     * Deletes the Job and, through background propagation, its pod, and the agent's Secret.
     * Ephemeral agents exit by themselves.
     */
    public void remove(KubernetesClient client) {
      removeSecret(client);
      if (jobName == null) {
        return;
      }
      try {
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withName(jobName)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
        LOG.info("deleted agent job {}/{}", namespace, jobName);
      } catch (RuntimeException e) {
        LOG.warn(
            "could not delete agent job {}/{} (it expires after agent.ttl): {}",
            namespace,
            jobName,
            e.getMessage());
      }
    }

    /** The Secret goes with its owner anyway; deleting it here does not wait for that. */
    private void removeSecret(KubernetesClient client) {
      if (secretName == null) {
        return;
      }
      try {
        client.secrets().inNamespace(namespace).withName(secretName).delete();
      } catch (RuntimeException e) {
        LOG.warn(
            "could not delete agent secret {}/{} (it goes with its owner): {}",
            namespace,
            secretName,
            e.getMessage());
      }
    }
  }
}
