package dev.mirrordj.verticles.cluster;

import java.util.List;
import java.util.function.Consumer;

/** Which nodes form the cluster now, and a say when one leaves (dies or stops). */
public interface ClusterMembership {
  String localNodeId();

  List<String> nodeIds();

  /** Calls {@code onLeft} with the id of every node that leaves from now on, on any thread. */
  void onNodeLeft(Consumer<String> onLeft);
}
