package dev.mirrordj.verticles.cluster.impl;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.mirrordj.verticles.cluster.OperatorSettings;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * The Hazelcast configuration of an operator node: Vert.x's own maps from its default file, then
 * our network, join, failure detection and maps.
 */
public final class HazelcastSetup {
  /**
   * Maps holding the operator's state; one synchronous backup each, so a node's death loses none.
   */
  public static final String STATE_MAPS = "mirrordj.operator.*";

  private HazelcastSetup() {}

  public static Config config(OperatorSettings s) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("mirrordj-operator");
    // no phone-home, our logging, and a dead member noticed within ~3 s (kill -9 leaves no goodbye)
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "3");
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.addMapConfig(new MapConfig(STATE_MAPS).setBackupCount(1).setAsyncBackupCount(0));

    NetworkConfig network = config.getNetworkConfig();
    if (s.clusterPort() > 0) network.setPort(s.clusterPort()).setPortAutoIncrement(false);
    network.setPublicAddress(s.host() + ":" + (s.clusterPort() > 0 ? s.clusterPort() : 5701));
    network.getInterfaces().setEnabled(true).addInterface(s.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!s.members().isEmpty() || s.kubernetesService().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(s.members()).setConnectionTimeoutSeconds(2);
    } else {
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-name", s.kubernetesService());
    }
    return config;
  }
}
