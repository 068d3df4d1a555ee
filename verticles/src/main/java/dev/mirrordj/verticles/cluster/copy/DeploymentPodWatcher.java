package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.verticles.kube.KubeApiException;
import dev.mirrordj.verticles.kube.TargetRef;
import dev.mirrordj.verticles.kube.TargetResolutionException;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the ready pods of a deployment for a session that covers all of them: a fabric8 informer
 * on the deployment's label selector (list, then watch, relisting by itself after a lost watch).
 * The returned future completes once every pod ready at start has been reported; pods that become
 * ready later, and pods that go away, are reported as it happens. Copy pods share the deployment's
 * labels and are left out: they are sessions' targets, not the deployment's replicas.
 */
public final class DeploymentPodWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentPodWatcher.class);

  private final Vertx vertx;
  private final KubernetesClient client;

  public DeploymentPodWatcher(Vertx vertx, KubernetesClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /**
   * Watches the pods of {@code deployment} (a {@code deployment/<name>[/container/<c>]} target).
   *
   * @return fails with {@link TargetResolutionException} when the deployment does not exist or
   *     selects nothing, or {@link KubeApiException} when the API refuses
   */
  public Future<PodWatch> watch(
      String namespace, TargetRef deployment, DeploymentPodListener listener) {
    if (deployment.kind() != TargetRef.Kind.DEPLOYMENT) {
      return Future.failedFuture(
          new UnsupportedTargetException(
              "only a deployment's pods can be watched, not " + deployment.render()));
    }
    Context context = vertx.getOrCreateContext();
    return vertx
        .executeBlocking(
            () -> {
              try {
                return selector(namespace, deployment.name());
              } catch (KubernetesClientException e) {
                throw KubeApiException.of(
                    "reading deployment " + namespace + "/" + deployment.name(), client, e);
              }
            },
            false)
        .compose(selector -> start(context, namespace, deployment, selector, listener));
  }

  private LabelSelector selector(String ns, String name) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (d == null) {
      throw new TargetResolutionException(
          "deployment '" + name + "' not found in namespace '" + ns + "'");
    }
    LabelSelector selector = d.getSpec() == null ? null : d.getSpec().getSelector();
    boolean empty =
        selector == null
            || (isEmpty(selector.getMatchLabels()) && isEmpty(selector.getMatchExpressions()));
    if (empty) {
      throw new TargetResolutionException(
          "deployment '" + name + "' in namespace '" + ns + "' has no selector to find its pods");
    }
    return selector;
  }

  private Future<PodWatch> start(
      Context context,
      String ns,
      TargetRef deployment,
      LabelSelector selector,
      DeploymentPodListener listener) {
    SharedIndexInformer<Pod> informer =
        client.pods().inNamespace(ns).withLabelSelector(selector).runnableInformer(0);
    Tracker tracker = new Tracker(ns, deployment, listener, informer);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            context.runOnContext(v -> tracker.seen(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            context.runOnContext(v -> tracker.seen(after));
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            context.runOnContext(v -> tracker.deleted(pod));
          }
        });
    Promise<PodWatch> started = Promise.promise();
    informer
        .start()
        .whenComplete(
            (ok, err) ->
                context.runOnContext(
                    v -> {
                      if (err != null) {
                        informer.close();
                        started.fail(
                            err instanceof KubernetesClientException k
                                ? KubeApiException.of(
                                    "watching the pods of " + deployment.render(), client, k)
                                : err);
                        return;
                      }
                      // Events queued before this ran are already applied; this catches any pod
                      // the informer listed but has not handed to the handler yet.
                      informer.getStore().list().forEach(tracker::seen);
                      started.complete(tracker);
                    }));
    informer
        .stopped()
        .whenComplete(
            (ok, err) -> {
              if (err != null) {
                context.runOnContext(v -> tracker.broken(err));
              }
            });
    return started.future();
  }

  private static boolean isEmpty(java.util.Collection<?> c) {
    return c == null || c.isEmpty();
  }

  private static boolean isEmpty(java.util.Map<?, ?> m) {
    return m == null || m.isEmpty();
  }

  /** The reported set; touched only on the watch's context, so it needs no lock. */
  private static final class Tracker implements PodWatch {
    private final String ns;
    private final TargetRef deployment;
    private final DeploymentPodListener listener;
    private final SharedIndexInformer<Pod> informer;
    private final Set<String> reported = new HashSet<>();
    private volatile Set<String> snapshot = Set.of();
    private volatile boolean closed;

    Tracker(
        String ns,
        TargetRef deployment,
        DeploymentPodListener listener,
        SharedIndexInformer<Pod> informer) {
      this.ns = ns;
      this.deployment = deployment;
      this.listener = listener;
      this.informer = informer;
    }

    void seen(Pod pod) {
      if (closed || isCopy(pod)) {
        return;
      }
      String name = pod.getMetadata().getName();
      if (CopyReadiness.isReady(pod)) {
        if (reported.add(name)) {
          publish();
          LOG.info("{}: pod {} is ready", deployment.render(), name);
          listener.ready(
              new ReadyPod(
                  ns, name, new TargetRef(TargetRef.Kind.POD, name, deployment.container()), pod));
        }
      } else if (reported.remove(name)) {
        publish();
        String reason =
            pod.getMetadata().getDeletionTimestamp() != null
                ? "being deleted"
                : "no longer ready (" + CopyReadiness.describe(pod) + ")";
        LOG.info("{}: pod {} gone: {}", deployment.render(), name, reason);
        listener.gone(name, reason);
      }
    }

    void deleted(Pod pod) {
      String name = pod.getMetadata().getName();
      if (!closed && reported.remove(name)) {
        publish();
        LOG.info("{}: pod {} deleted", deployment.render(), name);
        listener.gone(name, "deleted");
      }
    }

    void broken(Throwable err) {
      if (!closed) {
        closed = true;
        LOG.error("{}: pod watch failed: {}", deployment.render(), err.toString());
        listener.failed(err);
      }
    }

    private void publish() {
      snapshot = Set.copyOf(reported);
    }

    private static boolean isCopy(Pod pod) {
      var labels = pod.getMetadata().getLabels();
      return labels != null && labels.containsKey(CopyMarkers.SESSION_LABEL);
    }

    @Override
    public Set<String> readyPods() {
      return snapshot;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        informer.close();
      }
    }
  }
}
