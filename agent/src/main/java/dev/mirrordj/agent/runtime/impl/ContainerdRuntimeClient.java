package dev.mirrordj.agent.runtime.impl;

import dev.mirrordj.agent.runtime.ContainerInfo;
import dev.mirrordj.agent.runtime.ContainerNotFoundException;
import dev.mirrordj.agent.runtime.ContainerRuntimeException;
import dev.mirrordj.agent.runtime.RuntimeClient;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * containerd over its gRPC socket. Kubernetes keeps its containers in the {@code k8s.io} containerd
 * namespace, sent as the {@code containerd-namespace} metadata header; an ID it does not know there
 * is looked for in the node's other namespaces. The PID comes from {@code Tasks/Get} ({@code
 * GetResponse.process.pid}); the environment from {@code Containers/Get} (the OCI runtime spec, a
 * JSON document inside {@code Container.spec}, a {@code google.protobuf.Any}).
 */
public final class ContainerdRuntimeClient implements RuntimeClient {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerdRuntimeClient.class);
  static final String TASKS_GET = "/containerd.services.tasks.v1.Tasks/Get";
  static final String CONTAINERS_GET = "/containerd.services.containers.v1.Containers/Get";
  static final String NAMESPACES_LIST = "/containerd.services.namespaces.v1.Namespaces/List";

  /** containerd.v1.types.Status STOPPED: the task's process has exited. */
  private static final long TASK_STOPPED = 3;

  /** The containerd namespace the kubelet's CRI plugin uses. */
  public static final String K8S_NAMESPACE = "k8s.io";

  private final HttpClient http2;
  private final SocketAddress socket;

  /**
   * @param http2 a client configured for HTTP/2 with prior knowledge (no h2c upgrade)
   */
  public ContainerdRuntimeClient(HttpClient http2, SocketAddress socket) {
    this.http2 = http2;
    this.socket = socket;
  }

  @Override
  public Future<ContainerInfo> inspect(String containerId) {
    return inspectIn(K8S_NAMESPACE, containerId)
        .recover(
            err ->
                err instanceof ContainerNotFoundException
                    ? inOtherNamespaces(containerId, (ContainerNotFoundException) err)
                    : Future.failedFuture(err));
  }

  /**
   * Containers started outside the kubelet ({@code ctr run}, nerdctl, a node's own services) live
   * in other containerd namespaces; an ID is unique enough that the first namespace holding a
   * running task for it is the right one. When the namespaces cannot be listed the k8s.io answer
   * stands.
   */
  private Future<ContainerInfo> inOtherNamespaces(
      String containerId, ContainerNotFoundException inK8s) {
    return GrpcUnaryCall.call(http2, socket, NAMESPACES_LIST, metadata(K8S_NAMESPACE), new byte[0])
        .map(ContainerdRuntimeClient::namespaceNames)
        .otherwise(
            err -> {
              LOG.debug("containerd namespaces could not be listed: {}", err.getMessage());
              return List.of();
            })
        .compose(names -> tryNamespaces(containerId, names, 0, inK8s));
  }

  private Future<ContainerInfo> tryNamespaces(
      String containerId, List<String> names, int index, ContainerNotFoundException inK8s) {
    if (index == names.size()) {
      return Future.failedFuture(inK8s);
    }
    String ns = names.get(index);
    if (ns.equals(K8S_NAMESPACE)) {
      return tryNamespaces(containerId, names, index + 1, inK8s);
    }
    return inspectIn(ns, containerId)
        .recover(
            err ->
                err instanceof ContainerNotFoundException
                    ? tryNamespaces(containerId, names, index + 1, inK8s)
                    : Future.failedFuture(err));
  }

  private Future<ContainerInfo> inspectIn(String namespace, String containerId) {
    // GetRequest { string container_id = 1; string exec_id = 2; } -- empty exec_id = the main
    // process.
    byte[] request = Protobuf.strings(1, containerId);
    MultiMap metadata = metadata(namespace);
    return GrpcUnaryCall.call(http2, socket, TASKS_GET, metadata, request)
        .recover(err -> Future.failedFuture(named(namespace, containerId, err)))
        .map(response -> mainPid(namespace, containerId, response))
        .compose(pid -> environment(metadata, containerId).map(env -> new ContainerInfo(pid, env)));
  }

  private static MultiMap metadata(String namespace) {
    return MultiMap.caseInsensitiveMultiMap().add("containerd-namespace", namespace);
  }

  private static List<String> namespaceNames(byte[] listResponse) {
    // ListNamespacesResponse { repeated Namespace namespaces = 1; }  Namespace { string name = 1; }
    return Protobuf.bytesFields(listResponse, 1).stream()
        .map(ns -> Protobuf.bytesField(ns, 1))
        .filter(name -> name != null)
        .map(name -> new String(name, StandardCharsets.UTF_8))
        .toList();
  }

  private static int mainPid(String namespace, String containerId, byte[] getResponse) {
    // GetResponse { containerd.v1.types.Process process = 1; }
    // Process { uint32 pid = 3; Status status = 4; … }: a task whose process exited keeps its
    // last PID until it is deleted, so the status decides, not the PID.
    byte[] process = Protobuf.bytesField(getResponse, 1);
    long pid = process == null ? 0 : Protobuf.varintField(process, 3);
    long status = process == null ? 0 : Protobuf.varintField(process, 4);
    if (status == TASK_STOPPED) {
      throw new ContainerNotFoundException(
          "containerd (namespace "
              + namespace
              + ") has container "
              + containerId
              + " but its task has stopped");
    }
    if (pid <= 0 || pid > Integer.MAX_VALUE) {
      throw new ContainerNotFoundException(
          "containerd (namespace "
              + namespace
              + ") has container "
              + containerId
              + " but no running task for it (pid "
              + pid
              + ")");
    }
    return (int) pid;
  }

  /**
   * The OCI spec's process.env; failures here only cost the extra variables, so they are logged.
   */
  private Future<List<String>> environment(MultiMap metadata, String containerId) {
    byte[] request = Protobuf.strings(1, containerId);
    return GrpcUnaryCall.call(http2, socket, CONTAINERS_GET, metadata, request)
        .map(ContainerdRuntimeClient::specEnv)
        .otherwise(
            err -> {
              LOG.warn(
                  "container {}: could not read its environment from containerd: {}",
                  containerId,
                  err.getMessage());
              return List.of();
            });
  }

  private static List<String> specEnv(byte[] getContainerResponse) {
    // GetContainerResponse { Container container = 1; }  Container { google.protobuf.Any spec = 5;
    // }
    // Any { string type_url = 1; bytes value = 2; }  value = OCI runtime spec as JSON.
    byte[] container = Protobuf.bytesField(getContainerResponse, 1);
    byte[] spec = container == null ? null : Protobuf.bytesField(container, 5);
    byte[] json = spec == null ? null : Protobuf.bytesField(spec, 2);
    if (json == null) {
      return List.of();
    }
    JsonObject process =
        new JsonObject(io.vertx.core.buffer.Buffer.buffer(json))
            .getJsonObject("process", new JsonObject());
    JsonArray env = process.getJsonArray("env", new JsonArray());
    return env.stream().map(String::valueOf).toList();
  }

  private static Throwable named(String namespace, String containerId, Throwable err) {
    if (err instanceof ContainerNotFoundException) {
      return new ContainerNotFoundException(
          "containerd (namespace "
              + namespace
              + ") has no task for container "
              + containerId
              + ": "
              + err.getMessage());
    }
    if (err instanceof ContainerRuntimeException) {
      return err;
    }
    return new ContainerRuntimeException(
        "containerd lookup of " + containerId + " failed: " + err.getMessage(), err);
  }
}
