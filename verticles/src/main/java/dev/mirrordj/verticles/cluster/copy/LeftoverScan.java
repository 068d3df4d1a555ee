package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.verticles.kube.KubeApiException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds undo records from what the cluster itself carries: copy pods (their session and owner
 * annotations) and deployments held at 0 (their holder and original-replicas annotations). For an
 * operator that starts with no surviving map — every node was lost — or that checks its map against
 * the cluster: release the records whose session is not live. Records read back this way release
 * exactly like the journalled ones.
 */
public final class LeftoverScan {
  private final Vertx vertx;
  private final KubernetesClient client;

  public LeftoverScan(Vertx vertx, KubernetesClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /** The leftovers in {@code namespace}, or in every namespace when it is empty. */
  public Future<List<UndoRecord>> scan(Optional<String> namespace) {
    return vertx.executeBlocking(
        () -> {
          try {
            return records(namespace);
          } catch (KubernetesClientException e) {
            throw KubeApiException.of("listing copy pods and scaled deployments", client, e);
          }
        },
        false);
  }

  private List<UndoRecord> records(Optional<String> namespace) {
    List<Pod> copies =
        namespace
            .map(ns -> client.pods().inNamespace(ns).withLabel(CopyMarkers.SESSION_LABEL).list())
            .orElseGet(
                () -> client.pods().inAnyNamespace().withLabel(CopyMarkers.SESSION_LABEL).list())
            .getItems();
    List<Deployment> deployments =
        namespace
            .map(ns -> client.apps().deployments().inNamespace(ns).list())
            .orElseGet(() -> client.apps().deployments().inAnyNamespace().list())
            .getItems();
    // session@namespace → the deployment that session holds at 0, with its original count
    Map<String, Deployment> held = new LinkedHashMap<>();
    for (Deployment d : deployments) {
      String holders =
          annotation(d.getMetadata().getAnnotations(), CopyMarkers.SCALED_BY_ANNOTATION);
      if (holders != null) {
        Arrays.stream(holders.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .forEach(s -> held.put(s + "@" + d.getMetadata().getNamespace(), d));
      }
    }
    List<UndoRecord> records = new ArrayList<>();
    for (Pod pod : copies) {
      var annotations = pod.getMetadata().getAnnotations();
      String session = annotation(annotations, CopyMarkers.SESSION_ANNOTATION);
      if (session == null) {
        continue; // not made by us: release would refuse it anyway
      }
      String ns = pod.getMetadata().getNamespace();
      UndoRecord record =
          UndoRecord.copyOnly(
              session,
              annotation(annotations, CopyMarkers.OWNER_ANNOTATION),
              ns,
              pod.getMetadata().getName());
      Deployment d = held.remove(holderKey(session) + "@" + ns);
      records.add(
          d == null ? record : record.withScaledDeployment(d.getMetadata().getName(), original(d)));
    }
    for (var e : held.entrySet()) {
      String session = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
      Deployment d = e.getValue();
      records.add(
          new UndoRecord(
              session,
              null,
              d.getMetadata().getNamespace(),
              null,
              d.getMetadata().getName(),
              original(d)));
    }
    return records;
  }

  private static String holderKey(String sessionId) {
    return DeploymentScaler.holderKey(sessionId);
  }

  private static int original(Deployment d) {
    String v =
        annotation(d.getMetadata().getAnnotations(), CopyMarkers.ORIGINAL_REPLICAS_ANNOTATION);
    try {
      return v == null ? 1 : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String annotation(Map<String, String> annotations, String key) {
    return annotations == null ? null : annotations.get(key);
  }
}
