package dev.mirrordj.e2e.operator;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.protocol.incoming.IncomingClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator under load, on a harness pod behind one operator node (explicit {@code
 * -Dtest=OperatorLoadBench} only; it prints JSON lines, it does not assert: machines here are too
 * noisy for timing gates). Users are agent-protocol clients that open a session through the node
 * (the same {@code OperatorHello} a {@code run} sends) and subscribe like {@code run}'s proxy does.
 *
 * <ul>
 *   <li>B1 with 1, 4 and 16 users, each stealing the pod's port with a header filter of their own;
 *       wrk from the cluster namespace sends requests none of them match, so all of it goes through
 *       the shared agent's filter and on to the pod. Rounds interleave the user counts; the gate is
 *       the unmatched throughput with 16 users over that with 1 (it must stay above 0.8). The pod
 *       without any steal is the direct anchor.
 *   <li>Memory per idle session: the node's RSS before and after N sessions that subscribe nothing,
 *       (after - before) / N.
 * </ul>
 */
class OperatorLoadBench {
  private static final int ROUNDS = 3;
  private static final int SECONDS = 5;
  private static final int CONNECTIONS = 16;
  private static final List<Integer> USERS = List.of(1, 4, 16);
  private static final int IDLE_SESSIONS = 50;

  /** A small keep-alive HTTP server: fast enough that the steal path, not the app, is measured. */
  private static final String NODE_APP =
      "require('http').createServer((q, s) => s.end('pod\\n')).listen(+process.argv[1], '::');";

  @TempDir Path work;

  @Test
  void unmatchedThroughputWithOneFourAndSixteenFilteredUsers() throws Exception {
    Root.requireRoot();
    Vertx vertx = Vertx.vertx();
    try (Cluster cluster = Cluster.start()) {
      int port = OperatorNodes.freePort();
      Pod pod =
          cluster.addPod(
              PodSpec.named("opload")
                  .command("node", "-e", NODE_APP, Integer.toString(port))
                  .readyWhenListening(port));
      String url = "http://" + pod.ip() + ":" + port + "/";
      try (OperatorNodes nodes = OperatorNodes.start(work, 1)) {
        NetServer sink =
            vertx
                .createNetServer()
                .connectHandler(s -> s.close())
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        Map<String, List<Double>> rps = new TreeMap<>();
        // the first session starts the agent: not measured
        List<AgentClient> warm = open(vertx, nodes.node(0), pod, port, sink, 1);
        // warm-up: the agent's steal path is cold (JIT), errors here are not results
        wrk(cluster, url, 5, false);
        close(warm);
        for (int round = 0; round < ROUNDS; round++) {
          rps.computeIfAbsent("direct", k -> new ArrayList<>())
              .add(wrk(cluster, url, SECONDS, true));
          List<AgentClient> users = new ArrayList<>();
          for (int n : USERS) {
            users.addAll(open(vertx, nodes.node(0), pod, port, sink, n - users.size()));
            wrk(cluster, url, 1, false); // the new filters settle
            rps.computeIfAbsent("users-" + n, k -> new ArrayList<>())
                .add(wrk(cluster, url, SECONDS, true));
          }
          close(users);
          Thread.sleep(1000); // the agent releases the steal before the next direct round
        }
        double one = median(rps.get("users-1"));
        for (var e : rps.entrySet()) {
          double m = median(e.getValue());
          System.out.println(
              String.format(
                  Locale.ROOT,
                  "{\"id\": \"OP.B1.unmatched.c%d\", \"variant\": \"%s\", \"rps_median\": %.0f,"
                      + " \"rounds\": %s, \"over_one_user\": %.3f, \"load\": \"%s\"}",
                  CONNECTIONS,
                  e.getKey(),
                  m,
                  e.getValue(),
                  m / one,
                  loadAverage()));
        }
        sink.close();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void operatorMemoryPerIdleSession() throws Exception {
    Root.requireRoot();
    Vertx vertx = Vertx.vertx();
    try (Cluster cluster = Cluster.start()) {
      int port = OperatorNodes.freePort();
      Pod pod = cluster.addPod(PodSpec.named("opmem").httpServer(port, "pod"));
      try (OperatorNodes nodes = OperatorNodes.start(work, 1)) {
        NetServer sink =
            vertx
                .createNetServer()
                .connectHandler(s -> s.close())
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        // warm the node's paths (agent start, session open and close) before the baseline
        close(open(vertx, nodes.node(0), pod, 0, sink, 4));
        Thread.sleep(3000);
        long pid = nodes.node(0).process().pid();
        long before = rssKib(pid);
        List<AgentClient> idle = open(vertx, nodes.node(0), pod, 0, sink, IDLE_SESSIONS);
        Thread.sleep(5000);
        long after = rssKib(pid);
        System.out.println(
            String.format(
                Locale.ROOT,
                "{\"id\": \"OP.memory.idle-session\", \"variant\": \"operator-node\","
                    + " \"sessions\": %d, \"rss_before_kib\": %d, \"rss_after_kib\": %d,"
                    + " \"kib_per_session\": %.1f, \"load\": \"%s\"}",
                IDLE_SESSIONS,
                before,
                after,
                (after - before) / (double) IDLE_SESSIONS,
                loadAverage()));
        close(idle);
        sink.close();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * {@code count} sessions through {@code node}; with {@code port} > 0 each steals it with its own
   * header filter (requests that match would go to {@code sink}).
   */
  private static List<AgentClient> open(
      Vertx vertx, OperatorNodes.Node node, Pod pod, int port, NetServer sink, int count)
      throws Exception {
    List<AgentClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      var ctx = vertx.getOrCreateContext();
      var done = io.vertx.core.Promise.<AgentClient>promise();
      ctx.runOnContext(
          v ->
              AgentClient.connect(
                      vertx,
                      "127.0.0.1",
                      node.port(),
                      new AgentClientOptions()
                          .clientName("bench-" + id)
                          .connectTimeout(Duration.ofSeconds(10))
                          .preamble(
                              new Control.OperatorHello(
                                  "pid/" + pod.pid(), "bench", "user-" + id, id, "")))
                  .compose(
                      client ->
                          port <= 0
                              ? Future.succeededFuture(client)
                              : new IncomingClient(vertx, client)
                                  .subscribe(
                                      new Incoming.Subscribe(
                                          port,
                                          Incoming.MODE_STEAL,
                                          "^x-user: " + id + "$",
                                          "",
                                          false,
                                          false),
                                      SocketAddress.inetSocketAddress(
                                          sink.actualPort(), "127.0.0.1"))
                                  .map(x -> client))
                  .onComplete(done));
      clients.add(done.future().await(180, TimeUnit.SECONDS));
    }
    return clients;
  }

  private static void close(List<AgentClient> clients) throws Exception {
    for (AgentClient c : clients) c.close().await(10, TimeUnit.SECONDS);
  }

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

  /** Requests per second; {@code strict}: a failed request fails the benchmark. */
  private static double wrk(Cluster cluster, String url, int seconds, boolean strict) {
    ExecResult r =
        cluster.exec(
            "wrk", "-t1", "-c" + CONNECTIONS, "-d" + seconds + "s", "-H", "x-user: nobody", url);
    Matcher m = RPS.matcher(r.stdout());
    if (!r.ok() || !m.find()) throw new AssertionError("wrk failed: " + r);
    if (strict && (r.stdout().contains("Non-2xx") || r.stdout().contains("Socket errors"))) {
      throw new AssertionError("requests failed under load: " + r.stdout());
    }
    return Double.parseDouble(m.group(1));
  }

  private static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new AssertionError("no VmRSS for " + pid);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "?";
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
