package dev.mirrordj.verticles.cluster.impl;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.mirrordj.verticles.cluster.ClusterMembership;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.function.Consumer;

/**
 * Membership from Hazelcast itself. A listener of our own, beside the cluster manager's: Vert.x
 * keeps the cluster manager's single node listener for its event bus.
 */
public final class HazelcastMembership implements ClusterMembership {
  private final HazelcastClusterManager manager;

  public HazelcastMembership(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  @Override
  public String localNodeId() {
    return manager.getNodeId();
  }

  @Override
  public List<String> nodeIds() {
    return manager.getNodes();
  }

  @Override
  public void onNodeLeft(Consumer<String> onLeft) {
    manager
        .getHazelcastInstance()
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent e) {}

              @Override
              public void memberRemoved(MembershipEvent e) {
                onLeft.accept(e.getMember().getUuid().toString());
              }
            });
  }
}
