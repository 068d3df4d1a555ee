package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.verticles.kube.TargetResolutionException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales a deployment to 0 for a session and back. The deployment itself carries who holds it at 0
 * and its original replica count ({@link CopyMarkers#SCALED_BY_ANNOTATION}, {@link
 * CopyMarkers#ORIGINAL_REPLICAS_ANNOTATION}), so two sessions that scale the same deployment down
 * restore the true original once the last one ends, and a restore that runs twice changes nothing
 * the second time. Updates carry the resourceVersion read (optimistic locking) and are retried on a
 * conflict. Blocking: call from a worker thread.
 */
final class DeploymentScaler {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentScaler.class);
  private static final int CONFLICT_RETRIES = 5;

  private final KubernetesClient client;

  DeploymentScaler(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The replica count a scale-down by a session would restore: the one recorded by an earlier
   * session still holding the deployment at 0, else the current one.
   */
  int originalReplicas(String ns, String name) {
    return original(require(ns, name));
  }

  /** Scales {@code name} to 0 on behalf of {@code sessionId}; returns the original count. */
  int scaleDown(String ns, String name, String sessionId) {
    int[] original = new int[1];
    update(
        ns,
        name,
        d -> {
          original[0] = original(d);
          Set<String> holders = holders(d);
          holders.add(holderKey(sessionId));
          Map<String, String> annotations = annotations(d);
          annotations.put(CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION, Integer.toString(original[0]));
          annotations.put(CopyMarkers.SCALED_BY_ANNOTATION, String.join(",", holders));
          d.getMetadata().setAnnotations(annotations);
          d.getSpec().setReplicas(0);
          return d;
        });
    LOG.info(
        "[session {}] scaled deployment {}/{} to 0 (was {})", sessionId, ns, name, original[0]);
    return original[0];
  }

  /**
   * Ends {@code sessionId}'s hold on {@code name}; the last holder restores the original count.
   * Nothing happens when the session holds it no longer (already restored) or the deployment is
   * gone.
   *
   * @param fallbackReplicas the count to restore should the annotation with the original be lost
   */
  void restore(String ns, String name, String sessionId, int fallbackReplicas) {
    Deployment current = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (current == null) {
      LOG.warn("[session {}] deployment {}/{} is gone; nothing to restore", sessionId, ns, name);
      return;
    }
    if (!holders(current).contains(holderKey(sessionId))) {
      LOG.debug("[session {}] deployment {}/{} already restored", sessionId, ns, name);
      return;
    }
    int[] restored = {-1};
    update(
        ns,
        name,
        d -> {
          Set<String> holders = holders(d);
          if (!holders.remove(holderKey(sessionId))) {
            return null; // another node's release got there first
          }
          Map<String, String> annotations = annotations(d);
          if (holders.isEmpty()) {
            restored[0] =
                parse(annotations.get(CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION), fallbackReplicas);
            annotations.remove(CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION);
            annotations.remove(CopyMarkers.SCALED_BY_ANNOTATION);
            d.getSpec().setReplicas(restored[0]);
          } else {
            annotations.put(CopyMarkers.SCALED_BY_ANNOTATION, String.join(",", holders));
          }
          d.getMetadata().setAnnotations(annotations);
          return d;
        });
    if (restored[0] >= 0) {
      LOG.info(
          "[session {}] restored deployment {}/{} to {} replicas",
          sessionId,
          ns,
          name,
          restored[0]);
    } else {
      LOG.info(
          "[session {}] released deployment {}/{}; other sessions keep it at 0",
          sessionId,
          ns,
          name);
    }
  }

  /** Read, change, write with the read resourceVersion; again on a conflict. */
  private void update(String ns, String name, UnaryOperator<Deployment> change) {
    for (int attempt = 1; ; attempt++) {
      Deployment changed = change.apply(require(ns, name));
      if (changed == null) {
        return;
      }
      try {
        client.apps().deployments().inNamespace(ns).resource(changed).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
        LOG.debug("deployment {}/{} changed under us; retrying", ns, name);
      }
    }
  }

  private Deployment require(String ns, String name) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (d == null) {
      throw new TargetResolutionException(
          "deployment '" + name + "' not found in namespace '" + ns + "'");
    }
    return d;
  }

  private static int original(Deployment d) {
    Integer replicas = d.getSpec().getReplicas();
    int current = replicas == null ? 1 : replicas; // the API's default
    return holders(d).isEmpty()
        ? current
        : parse(annotations(d).get(CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION), current);
  }

  /** The session's entry in the comma-separated holder list. */
  static String holderKey(String sessionId) {
    return sessionId.replace(',', '_').trim();
  }

  private static Set<String> holders(Deployment d) {
    String v = annotations(d).get(CopyMarkers.SCALED_BY_ANNOTATION);
    Set<String> holders = new LinkedHashSet<>();
    if (v != null) {
      Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(holders::add);
    }
    return holders;
  }

  private static Map<String, String> annotations(Deployment d) {
    Map<String, String> a = d.getMetadata().getAnnotations();
    return a == null ? new HashMap<>() : new HashMap<>(a);
  }

  private static int parse(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
