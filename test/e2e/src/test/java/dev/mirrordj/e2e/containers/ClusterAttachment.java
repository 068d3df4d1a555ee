package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives a container started with no network (podman {@code --network none}, {@code ctr run}) the
 * network of a harness pod: a veth whose container end is {@code eth0} with an address on the
 * cluster bridge, no default route, so it reaches the cluster's services and nothing else. The veth
 * disappears with the container's network namespace (or the cluster's).
 */
final class ClusterAttachment {
  private ClusterAttachment() {}

  /**
   * @param index distinguishes the attachments of one cluster (host-side veth name, address)
   * @return the container's address
   */
  static String attach(Cluster cluster, long containerPid, int index) {
    String hostSide = "vc" + index;
    String prefix = cluster.bridgeIp().substring(0, cluster.bridgeIp().lastIndexOf('.') + 1);
    String ip = prefix + (200 + index);
    cluster
        .netns()
        .ip(
            "link",
            "add",
            hostSide,
            "type",
            "veth",
            "peer",
            "name",
            "eth0",
            "netns",
            Long.toString(containerPid))
        .requireOk();
    cluster.netns().ip("link", "set", hostSide, "master", Cluster.BRIDGE, "up").requireOk();
    String netns = "--net=/proc/" + containerPid + "/ns/net";
    Node.check("nsenter", netns, "ip", "addr", "add", ip + "/24", "dev", "eth0");
    Node.check("nsenter", netns, "ip", "link", "set", "eth0", "up");
    return ip;
  }

  /** A resolv.conf as a pod gets it: the cluster DNS and Kubernetes' search path. */
  static Path resolvConf(Cluster cluster, Path dir) throws IOException {
    Path file = dir.resolve("resolv.conf");
    Files.writeString(
        file,
        "nameserver "
            + cluster.dnsIp()
            + "\nsearch "
            + String.join(" ", Cluster.SEARCH_DOMAINS)
            + "\noptions ndots:5\n");
    return file;
  }
}
