package dev.mirrordj.e2e;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The end-to-end fixture: a harness cluster, a target pod with known files and environment, and the
 * real agent process ({@code java -jar mirrord-fat.jar agent ... --target-pid <pod pid>}) with Java
 * clients.
 */
final class PodAgent implements AutoCloseable {
  static final String CONFIG = "{\"service\":\"target\",\"replicas\":3}\n";
  static final String HOSTNAME = "target-5c8d9";
  static final Duration READY = Duration.ofSeconds(60);

  final Cluster cluster;
  final Pod pod;
  final AgentProcess agent;
  final Vertx vertx = Vertx.vertx();
  private final List<AgentClient> clients = new ArrayList<>();

  private PodAgent(Cluster cluster, Pod pod, AgentProcess agent) {
    this.cluster = cluster;
    this.pod = pod;
    this.agent = agent;
  }

  /**
   * The standard target pod: pod-only files under /app, a Kubernetes-like environment, HTTP on 80.
   */
  static PodSpec targetSpec() {
    return PodSpec.named("target")
        .hostname(HOSTNAME)
        .env("APP_MODE", "production")
        .env("APP_COLOR", "blue")
        .env("APP_SECRET1", "s3cr3t")
        .env("DB_HOST", "db.default.svc.cluster.local")
        .env("MIRRORD_FAKE_VAR_FIRST", "mirrord.is.running")
        .env("JAVA_HOME", "/usr/lib/jvm/pod-java")
        .env("CLASSPATH", "/app/lib/*")
        .env("RUST_LOG", "debug")
        .file("/app/config.json", CONFIG)
        .file("/app/data.bin", bigFile(), 0640)
        .httpServer(80, "hello from the target pod\n");
  }

  /** 1 MiB + 7 bytes of deterministic pseudo-random data (not a multiple of any block size). */
  static byte[] bigFile() {
    byte[] data = new byte[(1 << 20) + 7];
    new Random(1234).nextBytes(data);
    return data;
  }

  /** Cluster + target pod + agent (long idle TTL so one agent serves a whole test class). */
  static PodAgent start(String... extraAgentArgs) {
    return start(
        targetSpec(),
        extraAgentArgs.length == 0
            ? new String[] {"--idle-ttl", "600", "--communication-timeout", "120"}
            : extraAgentArgs);
  }

  static PodAgent start(PodSpec spec, String... agentArgs) {
    Root.requireRoot();
    var jar = FatJar.require();
    Cluster cluster = Cluster.start();
    try {
      Pod pod = cluster.addPod(spec);
      List<String> args = new ArrayList<>(List.of("--target-pid", Long.toString(pod.pid())));
      args.addAll(List.of(agentArgs));
      AgentProcess agent = AgentProcess.start(jar, READY, args.toArray(String[]::new));
      return new PodAgent(cluster, pod, agent);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** A new client connection to the agent, handshake done. */
  AgentClient connect(String name) {
    AgentClient c =
        Await.result(
            AgentClient.connect(
                vertx,
                "127.0.0.1",
                agent.port(),
                new AgentClientOptions().clientName(name).connectTimeout(Duration.ofSeconds(10))));
    synchronized (clients) {
      clients.add(c);
    }
    return c;
  }

  static String utf8(io.vertx.core.buffer.Buffer b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      synchronized (clients) {
        clients.forEach(c -> c.close());
      }
      Await.result(vertx.close());
    } finally {
      try {
        agent.close();
      } finally {
        cluster.close();
      }
    }
  }
}
