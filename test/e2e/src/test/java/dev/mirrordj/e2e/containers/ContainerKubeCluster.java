package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Cluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A one-node Kubernetes cluster whose pods are real containers: fabric8's mock API server (CRUD)
 * for the objects, {@link WorkloadControllers} for Jobs, Deployments and garbage collection, a
 * {@link ContainerKubelet} that runs every pod as a podman or containerd container on the harness
 * {@link Cluster}'s network, podman's Docker API on the node's {@code /run/docker.sock} and
 * containerd on its {@code /run/containerd/containerd.sock} (where the agent Job looks {@code
 * docker://} and {@code containerd://} containers up), and the {@link KubeApiFront} that clients
 * use as the API server (it serves pod logs and port-forwards from the containers). {@link #close}
 * removes every container, the Docker API service, containerd, the harness cluster and the node
 * directory.
 *
 * <p>Anything that talks to a Kubernetes API can use it through {@link #kubeconfig}: the CLI's
 * {@code run}, or an operator that creates agent Jobs.
 */
public final class ContainerKubeCluster implements AutoCloseable {
  /** The node's containerd image store, kept between runs as a cache of imported images. */
  static final Path CONTAINERD_ROOT = Path.of("/var/lib/mirrordj-test-containerd-node");

  final Node node;
  final Cluster cluster;
  final PodmanContainers podman;
  final PodmanDockerService dockerApi;
  final ContainerdDaemon containerd;
  final ContainerKubelet kubelet;
  final WorkloadControllers controllers;
  final KubeApiFront front;
  private final Vertx vertx;

  private ContainerKubeCluster(
      Node node,
      Cluster cluster,
      PodmanContainers podman,
      PodmanDockerService dockerApi,
      ContainerdDaemon containerd,
      ContainerKubelet kubelet,
      WorkloadControllers controllers,
      KubeApiFront front,
      Vertx vertx) {
    this.node = node;
    this.cluster = cluster;
    this.podman = podman;
    this.dockerApi = dockerApi;
    this.containerd = containerd;
    this.kubelet = kubelet;
    this.controllers = controllers;
    this.front = front;
    this.vertx = vertx;
  }

  /**
   * Starts the node behind {@code server}; {@code client} is the node's own API client (the
   * mock's).
   *
   * @param subnetOctet the harness cluster's subnet, 10.200.{@code subnetOctet}.0/24
   */
  public static ContainerKubeCluster start(
      KubernetesMockServer server, KubernetesClient client, int subnetOctet) throws Exception {
    PodmanContainers.sweepLeftovers();
    Node node = Node.create();
    Cluster cluster = null;
    PodmanContainers podman = new PodmanContainers();
    PodmanDockerService dockerApi = null;
    ContainerdDaemon containerd = null;
    ContainerKubelet kubelet = null;
    WorkloadControllers controllers = null;
    Vertx vertx = null;
    try {
      dockerApi = PodmanDockerService.start(node);
      containerd = ContainerdDaemon.start(node, CONTAINERD_ROOT);
      cluster = Cluster.start(subnetOctet);
      registerNode(client);
      kubelet = new ContainerKubelet(client, node, podman, containerd, cluster);
      controllers = new WorkloadControllers(client);
      vertx = Vertx.vertx();
      KubeApiFront front = KubeApiFront.start(vertx, server.url("/"), kubelet);
      return new ContainerKubeCluster(
          node, cluster, podman, dockerApi, containerd, kubelet, controllers, front, vertx);
    } catch (Exception | Error e) {
      if (controllers != null) controllers.close();
      if (kubelet != null) kubelet.close();
      if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
      podman.close();
      if (dockerApi != null) dockerApi.close();
      if (containerd != null) containerd.close();
      if (cluster != null) cluster.close();
      node.close();
      throw e;
    }
  }

  /** The Node object, so that {@code agent.check_out_of_pods} has a capacity to check. */
  private static void registerNode(KubernetesClient client) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(ContainerKubelet.NODE_NAME)
                .addToLabels("kubernetes.io/hostname", ContainerKubelet.NODE_NAME)
                .endMetadata()
                .withNewStatus()
                .withAllocatable(Map.of("pods", new Quantity("110")))
                .withCapacity(Map.of("pods", new Quantity("110")))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .createOr(existing -> existing.update());
  }

  /** The API server's URL for clients (the front). */
  public String apiUrl() {
    return front.url();
  }

  /** The harness cluster the pods are attached to (its DNS, echo and HTTP services). */
  public Cluster cluster() {
    return cluster;
  }

  /**
   * The python3 image for target pods, in podman and in this node's containerd (built with
   * mmdebstrap once, then cached by content).
   */
  public String targetImage() throws java.io.IOException {
    return TestImages.target(containerd);
  }

  /** The agent image's content tag, for {@code agent.image} (built once, cached by content). */
  public static String agentImage() {
    return TestImages.agent().contentTag();
  }

  /** A kubeconfig whose server is the front, for {@code namespace}. */
  public Path kubeconfig(Path dir, String namespace) throws Exception {
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        current-context: node
        clusters: [{name: node, cluster: {server: "%s"}}]
        contexts: [{name: node, context: {cluster: node, user: u, namespace: %s}}]
        users: [{name: u, user: {token: t}}]
        """
            .formatted(front.url(), namespace));
  }

  @Override
  public void close() throws Exception {
    try {
      front.close();
      controllers.close();
      kubelet.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      podman.close();
      dockerApi.close();
      containerd.close();
      cluster.close();
      node.close();
    }
  }
}
