package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the operator through the Kubernetes API: its Service ({@value #SERVICE} in {@value
 * #DEFAULT_NAMESPACE}, as conf/operator/ installs it), a Running and Ready pod behind it, and the
 * container port the Service's {@value #PORT_NAME} port leads to. The caller reaches that pod port
 * with a port-forward, as it reaches agents. Blocking.
 */
public final class OperatorLocator {
  public static final String SERVICE = "mirrord-operator";
  public static final String DEFAULT_NAMESPACE = "mirrord";
  public static final String PORT_NAME = "sessions";

  private final KubernetesClient client;

  public OperatorLocator(KubernetesClient client) {
    this.client = client;
  }

  /** An operator pod and its session port. */
  public record Found(String namespace, String pod, int port) {}

  /**
   * @return the operator, or why there is none (a sentence for the user)
   */
  public Result find(String namespace) {
    Service service = client.services().inNamespace(namespace).withName(SERVICE).get();
    if (service == null) {
      return Result.none("no Service " + namespace + "/" + SERVICE);
    }
    Optional<ServicePort> port =
        service.getSpec().getPorts().stream()
            .filter(p -> PORT_NAME.equals(p.getName()))
            .findFirst();
    if (port.isEmpty()) {
      return Result.none("Service " + namespace + "/" + SERVICE + " has no port " + PORT_NAME);
    }
    Map<String, String> selector = service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return Result.none("Service " + namespace + "/" + SERVICE + " selects no pods");
    }
    for (Pod pod : client.pods().inNamespace(namespace).withLabels(selector).list().getItems()) {
      if (!ready(pod)) continue;
      Optional<Integer> target = containerPort(pod, port.get());
      if (target.isPresent()) {
        return new Result(
            Optional.of(new Found(namespace, pod.getMetadata().getName(), target.get())), "");
      }
    }
    return Result.none("Service " + namespace + "/" + SERVICE + " has no ready pod");
  }

  /** The operator, or the reason there is none. */
  public record Result(Optional<Found> found, String reason) {
    static Result none(String reason) {
      return new Result(Optional.empty(), reason);
    }
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The Service port's target: a number, a named container port, or the port itself. */
  private static Optional<Integer> containerPort(Pod pod, ServicePort port) {
    IntOrString target = port.getTargetPort();
    if (target == null) return Optional.of(port.getPort());
    if (target.getIntVal() != null) return Optional.of(target.getIntVal());
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() == null) continue;
      for (ContainerPort p : c.getPorts()) {
        if (target.getStrVal().equals(p.getName())) return Optional.of(p.getContainerPort());
      }
    }
    return Optional.empty();
  }
}
