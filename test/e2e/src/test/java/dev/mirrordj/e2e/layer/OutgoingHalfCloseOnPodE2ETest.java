package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Half-close on outgoing streams through {@code run}: python3, node, Java and a C program connect
 * through the pod to an echo service that honours half-close (a cluster-only TCP address, and a
 * unix socket inside the pod), send a known payload, shut their write side down and read to EOF.
 * The shutdown comes right after the connect (the pod side may not even be up yet) or after a
 * pause. Every byte must come back, in order, and only then the EOF.
 */
class OutgoingHalfCloseOnPodE2ETest {
  private static final String UNIX_PATH = "/tmp/halfclose-echo.sock";
  private static final int SIZE = 300_000; // larger than one credit window, so credits are in play

  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;
  static Process unixEcho;
  static Path config;
  static Path cBinary;
  static Path javaClasses;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("halfclose")
                .hostname("halfclose-pod")
                .file("/srv/unix_echo.py", resource("unix_echo.py")));
    unixEcho =
        pod.start(
            List.of("python3", "/srv/unix_echo.py", UNIX_PATH),
            work.resolve("unix-echo.log").toFile());
    Path inPod = pod.root().resolve(UNIX_PATH.substring(1));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!Files.exists(inPod) && System.nanoTime() < deadline) Thread.sleep(20);
    assertTrue(
        Files.exists(inPod),
        "the pod's unix echo did not start: " + Files.readString(work.resolve("unix-echo.log")));
    for (String f : List.of("half_close.py", "half_close.js", "half_close.c", "HalfClose.java")) {
      Files.writeString(work.resolve(f), resource(f));
    }
    cBinary = work.resolve("half_close");
    exec("gcc", "-O2", "-o", cBinary.toString(), work.resolve("half_close.c").toString());
    javaClasses = Files.createDirectories(work.resolve("classes"));
    exec(
        Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
        "-d",
        javaClasses.toString(),
        work.resolve("HalfClose.java").toString());
    agent =
        AgentProcess.start(
            MirrordRun.FAT_JAR,
            Duration.ofSeconds(60),
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600",
            "--communication-timeout",
            "600");
    config = work.resolve("mirrord.json");
    Files.writeString(
        config,
        "{\"connect_tcp\": \"127.0.0.1:"
            + agent.port()
            + "\", \"experimental\": {\"tcp_ping4_mock\": false},"
            + " \"feature\": {\"network\": {\"outgoing\": {\"unix_streams\":"
            + " \"halfclose-echo\\\\.sock$\"}}}}");
  }

  @AfterAll
  static void stop() {
    if (unixEcho != null) unixEcho.destroyForcibly();
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String lang : List.of("python3", "node", "java", "c")) {
      for (String transport : List.of("tcp", "unix")) {
        for (int delayMs : new int[] {0, 300}) {
          all.add(Arguments.of(lang, transport, delayMs));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} shutdown after {2} ms")
  @MethodSource("cases")
  void everyByteComesBackBeforeTheEof(String lang, String transport, int delayMs) throws Exception {
    List<String> target =
        transport.equals("tcp")
            ? List.of("tcp", cluster.echoIp(), Integer.toString(Cluster.ECHO_PORT))
            : List.of("unix", UNIX_PATH);
    List<String> cmd = new ArrayList<>(program(lang));
    cmd.addAll(target);
    cmd.add(Integer.toString(delayMs));
    cmd.add(Integer.toString(SIZE));
    MirrordRun.Result r = MirrordRun.run(work, config, cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("sent=" + SIZE + " got=" + SIZE + " same=True", r.out().strip(), r.err());
  }

  private static List<String> program(String lang) {
    return switch (lang) {
      case "python3" -> List.of("python3", work.resolve("half_close.py").toString());
      case "node" -> List.of("node", work.resolve("half_close.js").toString());
      case "java" ->
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xshare:auto",
              "-cp",
              javaClasses.toString(),
              "HalfClose");
      case "c" -> List.of(cBinary.toString());
      default -> throw new IllegalArgumentException(lang);
    };
  }

  private static void exec(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
  }

  static String resource(String name) throws Exception {
    try (var in = OutgoingHalfCloseOnPodE2ETest.class.getResourceAsStream("/halfclose/" + name)) {
      if (in == null) throw new IllegalStateException("missing test resource /halfclose/" + name);
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
