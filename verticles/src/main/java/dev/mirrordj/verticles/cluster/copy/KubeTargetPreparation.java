package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.verticles.kube.KubeApiException;
import dev.mirrordj.verticles.kube.TargetRef;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TargetPreparation} against the Kubernetes API. The order of a copy with scale-down is:
 * save the record, create the copy, wait until it is Ready, save the record with the deployment's
 * original replicas, scale to 0 — so the service always has a pod that answers, and whatever exists
 * in the cluster is in the journal first. Blocking fabric8 calls run on worker threads.
 */
public final class KubeTargetPreparation implements TargetPreparation {
  private static final Logger LOG = LoggerFactory.getLogger(KubeTargetPreparation.class);

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Consumer<String> progress;
  private final DeploymentScaler scaler;

  /**
   * @param progress receives one line per step (for the session's client)
   */
  public KubeTargetPreparation(Vertx vertx, KubernetesClient client, Consumer<String> progress) {
    this.vertx = vertx;
    this.client = client;
    this.progress = progress;
    this.scaler = new DeploymentScaler(client);
  }

  @Override
  public Future<PreparedTarget> prepare(PreparationRequest request, UndoJournal journal) {
    try {
      check(request);
    } catch (UnsupportedTargetException e) {
      return Future.failedFuture(e);
    }
    if (!request.copyTarget()) {
      return Future.succeededFuture(
          new PreparedTarget(request.target(), request.namespace(), Optional.empty()));
    }
    String ns = request.namespace();
    return blocking(
            "reading " + request.target().render() + " to copy it",
            () -> {
              CopySource source = new CopySources(client).find(request.target(), ns);
              String name = CopyPods.copyName(source.baseName());
              return CopyPods.copy(source, name, ns, request.sessionId(), request.owner());
            })
        .compose(pod -> createCopy(request, pod, journal))
        .compose(
            record ->
                request.scaleDown()
                    ? scaleDown(request, record, journal)
                    : Future.succeededFuture(record))
        .map(
            record ->
                new PreparedTarget(
                    copyRef(request.target(), record.copyPod()), ns, Optional.of(record)));
  }

  private static void check(PreparationRequest request) {
    TargetRef target = request.target();
    if (target.kind() == TargetRef.Kind.JOB && !request.copyTarget()) {
      throw new UnsupportedTargetException(
          "target "
              + target.render()
              + " is a job: its pods run to completion, so a session runs on a copy of its pod"
              + " template; set feature.copy_target to true");
    }
    if (request.scaleDown() && !request.copyTarget()) {
      throw new UnsupportedTargetException(
          "feature.copy_target.scale_down needs feature.copy_target enabled: without a copy,"
              + " scaling the deployment to 0 would leave the session without a pod");
    }
    if (request.scaleDown() && target.kind() != TargetRef.Kind.DEPLOYMENT) {
      throw new UnsupportedTargetException(
          "feature.copy_target.scale_down applies only to deployment targets, not "
              + target.render()
              + "; target the deployment (deployment/<name>) or set scale_down to false");
    }
  }

  private Future<UndoRecord> createCopy(PreparationRequest request, Pod pod, UndoJournal journal) {
    String ns = request.namespace();
    String name = pod.getMetadata().getName();
    UndoRecord record = UndoRecord.copyOnly(request.sessionId(), request.owner(), ns, name);
    return journal
        .save(record)
        .compose(
            saved -> {
              progress.accept(
                  "creating copy pod " + ns + "/" + name + " of " + request.target().render());
              return blocking(
                  "creating copy pod " + ns + "/" + name,
                  () -> client.pods().inNamespace(ns).resource(pod).create());
            })
        .compose(
            created -> {
              progress.accept("waiting for copy pod " + name + " to be ready");
              return new CopyReadiness(vertx, client).await(ns, name, request.readyTimeout());
            })
        .map(
            ready -> {
              LOG.info("[session {}] copy pod {}/{} is ready", request.sessionId(), ns, name);
              progress.accept("copy pod " + name + " is ready");
              return record;
            })
        .recover(err -> undoThenFail(record, err));
  }

  private Future<UndoRecord> scaleDown(
      PreparationRequest request, UndoRecord copied, UndoJournal journal) {
    String ns = request.namespace();
    String deployment = request.target().name();
    return blocking(
            "reading deployment " + ns + "/" + deployment,
            () -> scaler.originalReplicas(ns, deployment))
        .map(original -> copied.withScaledDeployment(deployment, original))
        .compose(record -> journal.save(record).map(record))
        .compose(
            record -> {
              progress.accept(
                  "scaling deployment "
                      + deployment
                      + " to 0 (from "
                      + record.originalReplicas()
                      + ") while the copy lives");
              return blocking(
                      "scaling deployment " + ns + "/" + deployment + " to 0",
                      () -> scaler.scaleDown(ns, deployment, request.sessionId()))
                  .map(record)
                  .recover(err -> undoThenFail(record, err));
            },
            // the record without the deployment: only the copy exists so far
            err -> undoThenFail(copied, err));
  }

  private <T> Future<T> undoThenFail(UndoRecord record, Throwable err) {
    LOG.warn(
        "[session {}] target preparation failed, undoing: {}",
        record.sessionId(),
        err.getMessage());
    return release(record)
        .transform(
            released -> {
              if (released.failed()) {
                err.addSuppressed(released.cause());
              }
              return Future.failedFuture(err);
            });
  }

  @Override
  public Future<Void> release(UndoRecord record) {
    return blocking(
        "releasing session " + record.sessionId(),
        () -> {
          List<String> failures = new ArrayList<>();
          RuntimeException first = null;
          if (record.scaledDown()) {
            try {
              scaler.restore(
                  record.namespace(),
                  record.deployment(),
                  record.sessionId(),
                  record.originalReplicas());
            } catch (RuntimeException e) {
              failures.add(
                  "restoring deployment "
                      + record.namespace()
                      + "/"
                      + record.deployment()
                      + " to "
                      + record.originalReplicas()
                      + " replicas: "
                      + e.getMessage());
              first = e;
            }
          }
          try {
            deleteCopy(record);
          } catch (RuntimeException e) {
            failures.add(
                "deleting copy pod "
                    + record.namespace()
                    + "/"
                    + record.copyPod()
                    + ": "
                    + e.getMessage());
            first = first == null ? e : first;
          }
          if (!failures.isEmpty()) {
            throw new ReleaseException(
                "session " + record.sessionId() + ": " + String.join("; ", failures), first);
          }
          return null;
        });
  }

  /** Deletes the copy unless it is gone or (never expected) not this session's copy. */
  private void deleteCopy(UndoRecord record) {
    if (record.copyPod() == null) {
      return;
    }
    var resource = client.pods().inNamespace(record.namespace()).withName(record.copyPod());
    Pod pod = resource.get();
    if (pod == null) {
      LOG.debug("[session {}] copy pod {} already gone", record.sessionId(), record.copyPod());
      return;
    }
    var annotations = pod.getMetadata().getAnnotations();
    String owner = annotations == null ? null : annotations.get(CopyMarkers.SESSION_ANNOTATION);
    if (!record.sessionId().equals(owner)) {
      LOG.warn(
          "[session {}] pod {}/{} is not this session's copy (session annotation {}); left alone",
          record.sessionId(),
          record.namespace(),
          record.copyPod(),
          owner);
      return;
    }
    resource.delete();
    LOG.info(
        "[session {}] deleted copy pod {}/{}",
        record.sessionId(),
        record.namespace(),
        record.copyPod());
  }

  private static TargetRef copyRef(TargetRef original, String copyPod) {
    Optional<String> container =
        original.kind() == TargetRef.Kind.CONTAINER
            ? Optional.of(original.name())
            : original.container();
    return new TargetRef(TargetRef.Kind.POD, copyPod, container);
  }

  /** Runs a blocking API call on a worker; fabric8 errors become {@link KubeApiException}s. */
  private <T> Future<T> blocking(String action, Callable<T> work) {
    return vertx.executeBlocking(
        () -> {
          try {
            return work.call();
          } catch (KubernetesClientException e) {
            throw KubeApiException.of(action, client, e);
          }
        },
        false);
  }
}
