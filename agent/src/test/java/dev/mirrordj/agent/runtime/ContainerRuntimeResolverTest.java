package dev.mirrordj.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.ContainerRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's runtime lookup against fake runtimes that speak the real APIs on unix sockets. */
class ContainerRuntimeResolverTest {
  private static final String ID =
      "3f1c9e0a7b2d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";
  private static final int PID = (int) ProcessHandle.current().pid();
  private static final List<String> ENV = List.of("PATH=/usr/bin", "APP_MODE=pod");

  @TempDir Path host;
  private Vertx vertx;
  private ContainerRuntimeResolver resolver;

  @BeforeEach
  void setUp() {
    vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    assertTrue(vertx.isNativeTransportEnabled(), "epoll transport is needed for unix sockets");
    resolver = new ContainerRuntimeResolver(vertx, host);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private ContainerInfo resolve(ContainerRuntime rt, String id) throws Exception {
    return resolver.resolve(rt, id).await(20, TimeUnit.SECONDS);
  }

  private Throwable failure(ContainerRuntime rt, String id) {
    Future<ContainerInfo> f = resolver.resolve(rt, id);
    return assertThrows(Throwable.class, () -> f.await(20, TimeUnit.SECONDS));
  }

  @Test
  void dockerInspectGivesPidAndEnv() throws Exception {
    try (var fake =
        FakeRuntimeServer.start(vertx, ContainerRuntime.DOCKER, host.resolve("run/docker.sock"))) {
      fake.add(ID, PID, ENV);
      ContainerInfo info = resolve(ContainerRuntime.DOCKER, ID);
      assertEquals(PID, info.pid());
      assertEquals(ENV, info.env());
    }
  }

  @Test
  void dockerUnknownAndStoppedContainersAreNotFound() throws Exception {
    try (var fake =
        FakeRuntimeServer.start(
            vertx, ContainerRuntime.DOCKER, host.resolve("var/run/docker.sock"))) {
      fake.add("stopped", 0, List.of());
      Throwable unknown = failure(ContainerRuntime.DOCKER, "nope");
      assertInstanceOf(ContainerNotFoundException.class, unknown);
      assertTrue(unknown.getMessage().contains("No such container: nope"), unknown.getMessage());
      Throwable stopped = failure(ContainerRuntime.DOCKER, "stopped");
      assertInstanceOf(ContainerNotFoundException.class, stopped);
      assertTrue(stopped.getMessage().contains("not running"), stopped.getMessage());
    }
  }

  @Test
  void crioInfoEndpointGivesPid() throws Exception {
    try (var fake =
        FakeRuntimeServer.start(
            vertx, ContainerRuntime.CRI_O, host.resolve("run/crio/crio.sock"))) {
      fake.add(ID, PID, ENV);
      ContainerInfo info = resolve(ContainerRuntime.CRI_O, ID);
      assertEquals(PID, info.pid());
      assertEquals(List.of(), info.env(), "CRI-O's info endpoint carries no environment");
      Throwable unknown = failure(ContainerRuntime.CRI_O, "other");
      assertInstanceOf(ContainerNotFoundException.class, unknown);
      assertTrue(
          unknown.getMessage().contains("can't find the container with id other"),
          unknown.getMessage());
    }
  }

  @Test
  void containerdTasksGetOverGrpcGivesPidAndSpecEnv() throws Exception {
    try (var fake =
        FakeRuntimeServer.start(
            vertx, ContainerRuntime.CONTAINERD, host.resolve("run/containerd/containerd.sock"))) {
      // A PID above 2^21 needs a 4-byte varint: exercises multi-byte decoding.
      fake.add(ID, 4_194_000, ENV);
      ContainerInfo info = resolve(ContainerRuntime.CONTAINERD, ID);
      assertEquals(4_194_000, info.pid());
      assertEquals(ENV, info.env());
      assertEquals("k8s.io", fake.lastNamespace);
    }
  }

  @Test
  void containerdUnknownContainerIsNotFoundWithTheRuntimesMessage() throws Exception {
    try (var fake =
        FakeRuntimeServer.start(
            vertx, ContainerRuntime.CONTAINERD, host.resolve("run/containerd/containerd.sock"))) {
      Throwable err = failure(ContainerRuntime.CONTAINERD, "missing");
      assertInstanceOf(ContainerNotFoundException.class, err);
      assertTrue(
          err.getMessage().contains("container \"missing\" in namespace \"k8s.io\": not found"),
          err.getMessage());
    }
  }

  @Test
  void staleSocketIsSkippedAndTheNextCandidateAnswers() throws Exception {
    // A leftover socket file nobody listens on (e.g. containerd restarted elsewhere) must not stop
    // us.
    Path stale = host.resolve("run/containerd/containerd.sock");
    var dead = FakeRuntimeServer.start(vertx, ContainerRuntime.CONTAINERD, stale);
    dead.close();
    Files.createFile(stale);
    try (var k3s =
        FakeRuntimeServer.start(
            vertx,
            ContainerRuntime.CONTAINERD,
            host.resolve("run/k3s/containerd/containerd.sock"))) {
      k3s.add(ID, PID, ENV);
      assertEquals(PID, resolve(ContainerRuntime.CONTAINERD, ID).pid());
    }
  }

  @Test
  void missingSocketNamesEveryPlaceLooked() {
    Throwable err = failure(ContainerRuntime.DOCKER, ID);
    assertInstanceOf(ContainerRuntimeException.class, err);
    assertTrue(
        err.getMessage().contains(host.resolve("run/docker.sock").toString()), err.getMessage());
    assertTrue(
        err.getMessage().contains(host.resolve("var/run/docker.sock").toString()),
        err.getMessage());
  }

  @Test
  void idThatCouldEscapeTheUrlPathIsRejected() {
    Throwable err = failure(ContainerRuntime.DOCKER, "../../info");
    assertInstanceOf(IllegalArgumentException.class, err);
    assertTrue(err.getMessage().contains("invalid container id"), err.getMessage());
  }

  @Test
  void blockingFormBuildsItsOwnVertx() throws Exception {
    try (var fake =
        FakeRuntimeServer.start(
            vertx, ContainerRuntime.CRI_O, host.resolve("run/crio/crio.sock"))) {
      fake.add(ID, PID, List.of());
      ContainerInfo info =
          ContainerRuntimeResolver.resolveBlocking(
              ContainerRuntime.CRI_O, ID, host, Duration.ofSeconds(20));
      assertEquals(PID, info.pid());
    }
  }

  @Test
  void commandLineFormFindsTheSocketsUnderTheConfiguredHostRoot() throws Exception {
    try (var fake =
        FakeRuntimeServer.start(
            vertx, ContainerRuntime.CONTAINERD, host.resolve("run/containerd/containerd.sock"))) {
      fake.add(ID, PID, ENV);
      java.nio.file.Path root =
          ContainerRuntimeResolver.hostRoot(
              java.util.Map.of(ContainerRuntimeResolver.HOST_ROOT_VARIABLE, host.toString()));
      assertEquals(
          PID,
          ContainerRuntimeResolver.resolveBlocking(
                  ContainerRuntime.CONTAINERD, ID, root, Duration.ofSeconds(20))
              .pid());
      assertEquals(
          ContainerRuntimeResolver.DEFAULT_HOST_ROOT,
          ContainerRuntimeResolver.hostRoot(java.util.Map.of()));
    }
  }

  @Test
  void runtimeNamesParseAsOnTheCommandLine() {
    assertEquals(ContainerRuntime.CRI_O, ContainerRuntime.fromName("cri-o"));
    assertEquals(ContainerRuntime.CRI_O, ContainerRuntime.fromName("crio"));
    assertEquals(ContainerRuntime.CONTAINERD, ContainerRuntime.fromName("Containerd"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ContainerRuntime.fromName("podman"));
    assertTrue(e.getMessage().contains("containerd, docker, cri-o"), e.getMessage());
  }
}
