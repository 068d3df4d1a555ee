package dev.mirrordj.agent.runtime;

import dev.mirrordj.agent.runtime.impl.ContainerdRuntimeClient;
import dev.mirrordj.agent.runtime.impl.CrioRuntimeClient;
import dev.mirrordj.agent.runtime.impl.DockerRuntimeClient;
import dev.mirrordj.protocol.ContainerRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code --container-id ID --container-runtime containerd|docker|cri-o} into the container's
 * main PID (and configured environment) by asking the node's runtime over its unix socket under the
 * host mounts. Sockets are tried in {@link RuntimeSockets} order; a socket that cannot be reached
 * or does not know the container passes the question to the next one.
 *
 * <p>Unix sockets need Vert.x's native (epoll) transport; {@link #resolveBlocking} builds a
 * short-lived Vert.x with it so the agent's startup code can call it before its own Vert.x exists.
 */
public final class ContainerRuntimeResolver {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntimeResolver.class);

  /** Where the agent pod mounts the node's {@code /run} and {@code /var}. */
  public static final Path DEFAULT_HOST_ROOT = Path.of("/host");

  /** Overrides {@link #DEFAULT_HOST_ROOT} (nodes with unusual mounts, and the test fake node). */
  public static final String HOST_ROOT_VARIABLE = "MIRRORD_AGENT_HOST_ROOT";

  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final Path hostRoot;

  /**
   * @param vertx a Vert.x instance with native transport enabled (unix sockets need it)
   */
  public ContainerRuntimeResolver(Vertx vertx, Path hostRoot) {
    this.vertx = vertx;
    this.hostRoot = hostRoot;
  }

  /**
   * Looks the container up; fails with a {@link ContainerRuntimeException} naming every socket
   * tried.
   */
  public Future<ContainerInfo> resolve(ContainerRuntime runtime, String containerId) {
    if (containerId == null || !VALID_ID.matcher(containerId).matches()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "invalid container id '"
                  + containerId
                  + "': expected letters, digits, '_', '.' or '-' (a runtime container ID such as 64 hex digits)"));
    }
    if (!vertx.isNativeTransportEnabled()) {
      return Future.failedFuture(
          new ContainerRuntimeException(
              "cannot reach the "
                  + runtime
                  + " socket: unix sockets need the native transport, which is unavailable: "
                  + vertx.unavailableNativeTransportCause()));
    }
    List<Path> sockets = RuntimeSockets.present(runtime, hostRoot);
    if (sockets.isEmpty()) {
      return Future.failedFuture(
          new ContainerRuntimeException(
              "no "
                  + runtime
                  + " socket found; looked "
                  + "for "
                  + RuntimeSockets.candidates(runtime, hostRoot)
                  + " (is the node's /run and /var "
                  + "mounted under "
                  + hostRoot
                  + "?)"));
    }
    HttpClient http = vertx.createHttpClient(clientOptions(runtime));
    List<String> failures = new ArrayList<>();
    return tryFrom(runtime, containerId, sockets, 0, http, failures).andThen(done -> http.close());
  }

  private Future<ContainerInfo> tryFrom(
      ContainerRuntime runtime,
      String id,
      List<Path> sockets,
      int index,
      HttpClient http,
      List<String> failures) {
    if (index == sockets.size()) {
      boolean allNotFound = failures.stream().allMatch(f -> f.startsWith("not found"));
      String detail =
          runtime + " lookup of container " + id + " failed: " + String.join("; ", failures);
      return Future.failedFuture(
          allNotFound
              ? new ContainerNotFoundException(detail)
              : new ContainerRuntimeException(detail));
    }
    Path socket = sockets.get(index);
    SocketAddress address = SocketAddress.domainSocketAddress(socket.toString());
    RuntimeClient client =
        switch (runtime) {
          case CONTAINERD -> new ContainerdRuntimeClient(http, address);
          case DOCKER -> new DockerRuntimeClient(http, address);
          case CRI_O -> new CrioRuntimeClient(http, address);
        };
    return client
        .inspect(id)
        .onSuccess(
            info ->
                LOG.info(
                    "container {} ({}) resolved through {}: pid {}",
                    id,
                    runtime,
                    socket,
                    info.pid()))
        .recover(
            err -> {
              String kind = err instanceof ContainerNotFoundException ? "not found" : "error";
              failures.add(kind + " at " + socket + ": " + err.getMessage());
              LOG.debug("{} lookup of {} at {} failed: {}", runtime, id, socket, err.toString());
              return tryFrom(runtime, id, sockets, index + 1, http, failures);
            });
  }

  private static HttpClientOptions clientOptions(ContainerRuntime runtime) {
    HttpClientOptions options = new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
    if (runtime == ContainerRuntime.CONTAINERD) {
      // gRPC: HTTP/2 straight away ("prior knowledge"), no HTTP/1.1 upgrade dance.
      options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    }
    return options;
  }

  /** The host root from {@value #HOST_ROOT_VARIABLE}, else {@link #DEFAULT_HOST_ROOT}. */
  public static Path hostRoot(java.util.Map<String, String> env) {
    String value = env.get(HOST_ROOT_VARIABLE);
    return value == null || value.isBlank() ? DEFAULT_HOST_ROOT : Path.of(value);
  }

  /**
   * Blocking form for process startup: builds a native-transport Vert.x, resolves, closes it.
   *
   * @throws ContainerRuntimeException when the lookup fails or does not finish within {@code
   *     timeout}
   */
  public static ContainerInfo resolveBlocking(
      ContainerRuntime runtime, String containerId, Path hostRoot, Duration timeout) {
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setPreferNativeTransport(true)
                    .setEventLoopPoolSize(1)
                    .setWorkerPoolSize(1))
            .build();
    try {
      return new ContainerRuntimeResolver(vertx, hostRoot)
          .resolve(runtime, containerId)
          .await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ContainerRuntimeException(
          runtime
              + " did not answer about container "
              + containerId
              + " within "
              + timeout.toSeconds()
              + " s");
    } finally {
      vertx.close();
    }
  }
}
