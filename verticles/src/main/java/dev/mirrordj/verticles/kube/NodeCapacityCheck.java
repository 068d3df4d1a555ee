package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * {@code agent.check_out_of_pods}: the agent Job must run on the target's node, so a node already
 * at its allocatable pod count would leave the agent Pending until the startup timeout. Checking
 * first turns that into an immediate, explained error.
 */
final class NodeCapacityCheck {
  private final KubernetesClient client;

  NodeCapacityCheck(KubernetesClient client) {
    this.client = client;
  }

  void requireRoomOn(String nodeName) {
    if (nodeName == null) {
      return;
    }
    Node node = client.nodes().withName(nodeName).get();
    if (node == null || node.getStatus() == null || node.getStatus().getAllocatable() == null) {
      return; // cannot tell (e.g. no permission to read nodes): let the scheduler decide
    }
    Quantity allocatable = node.getStatus().getAllocatable().get("pods");
    if (allocatable == null) {
      return;
    }
    long capacity = allocatable.getNumericalAmount().longValue();
    List<Pod> pods =
        client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems();
    long active =
        pods.stream()
            .filter(p -> nodeName.equals(p.getSpec().getNodeName()))
            .filter(
                p ->
                    p.getStatus() == null
                        || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
            .count();
    if (active >= capacity) {
      throw new AgentStartupException(
          "node "
              + nodeName
              + " runs "
              + active
              + " pods, its allocatable "
              + "maximum; the agent pod would not be scheduled there. Free a slot, use agent.ephemeral=true, "
              + "or set agent.check_out_of_pods=false to try anyway");
    }
  }
}
