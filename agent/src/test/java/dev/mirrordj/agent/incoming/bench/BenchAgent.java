package dev.mirrordj.agent.incoming.bench;

import dev.mirrordj.agent.incoming.filter.FancyFilterRegex;
import dev.mirrordj.agent.incoming.filter.HttpFilter;
import dev.mirrordj.agent.incoming.mirror.MirrorClient;
import dev.mirrordj.agent.incoming.mirror.MirrorHub;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.agent.incoming.steal.ConnectionInfo;
import dev.mirrordj.agent.incoming.steal.NetSocketUpstream;
import dev.mirrordj.agent.incoming.steal.StealEngine;
import dev.mirrordj.agent.incoming.steal.StealTarget;
import dev.mirrordj.agent.incoming.steal.Subscription;
import dev.mirrordj.agent.incoming.steal.Upstream;
import dev.mirrordj.agent.ns.NamespacedVertx;
import dev.mirrordj.sniffer.CaptureOptions;
import dev.mirrordj.sniffer.FlowKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark driver for bench/incoming (not used by the product): runs the agent's incoming side
 * against a namespace without a client tunnel, the "local program" being a server on the
 * namespace's loopback. Prints "ready", runs until stdin closes, then prints its counters.
 *
 * <pre>
 * steal  NETNS PORT LOCAL_PORT [HEADER_REGEX]   (no regex: whole-port steal)
 * mirror NETNS PORT INTERFACE                    (counts mirrored HTTP request lines)
 * </pre>
 */
public final class BenchAgent {

  private BenchAgent() {}

  public static void main(String[] args) throws Exception {
    Path netns = Path.of(args[1]);
    int port = Integer.parseInt(args[2]);
    if (args[0].equals("steal")) {
      steal(netns, port, Integer.parseInt(args[3]), args.length > 4 ? args[4] : null);
    } else {
      mirror(netns, port, args[3]);
    }
  }

  private static void steal(Path netns, int port, int localPort, String headerRegex)
      throws Exception {
    Vertx target = NamespacedVertx.create(netns, 2);
    CommandRunner runner = new CommandRunner(netns);
    StealEngine engine =
        StealEngine.start(
                target,
                Duration.ofMillis(500),
                p -> new RedirectRules(runner, FirewallBackend.NFT, p[0], p[1], 0))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    NetClient local = target.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    StealTarget app =
        new StealTarget() {
          @Override
          public Future<Upstream> open(ConnectionInfo connection) {
            return local
                .connect(localPort, "127.0.0.1")
                .map(
                    s -> {
                      s.pause();
                      return (Upstream) new NetSocketUpstream(s);
                    });
          }

          @Override
          public String describe() {
            return "bench local app";
          }
        };
    HttpFilter filter =
        headerRegex == null ? null : HttpFilter.header(FancyFilterRegex.compile(headerRegex));
    try {
      engine.subscribe(new Subscription("bench", port, filter, app));
      System.out.println("ready");
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    } finally {
      engine.close();
      target.close();
    }
  }

  private static void mirror(Path netns, int port, String iface) throws Exception {
    AtomicLong requests = new AtomicLong();
    AtomicLong lost = new AtomicLong();
    byte[] get = "GET /".getBytes(StandardCharsets.ISO_8859_1);
    MirrorClient counter =
        new MirrorClient() {
          // per connection: progress through "GET /" across chunk borders (capture thread only)
          private final java.util.Map<Long, Integer> progress = new java.util.HashMap<>();

          @Override
          public String id() {
            return "bench counter";
          }

          @Override
          public void connectionStarted(long id, FlowKey flow, boolean midStream) {
            progress.put(id, 0);
          }

          @Override
          public void data(long id, byte[] bytes) {
            int matched = progress.getOrDefault(id, 0);
            for (byte b : bytes) {
              matched = b == get[matched] ? matched + 1 : (b == get[0] ? 1 : 0);
              if (matched == get.length) {
                requests.incrementAndGet();
                matched = 0;
              }
            }
            progress.put(id, matched);
          }

          @Override
          public void lost(long id, long missingBytes) {
            lost.addAndGet(missingBytes);
          }

          @Override
          public void connectionEnded(long id) {
            progress.remove(id);
          }
        };
    try (MirrorHub hub = new MirrorHub(CaptureOptions.defaults(iface, netns))) {
      hub.subscribe(counter, port);
      System.out.println("ready");
      System.out.flush();
      java.io.BufferedReader in =
          new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
      String line;
      while ((line = in.readLine()) != null) {
        // "count" → print the counters so far (one run per load step)
        var s = hub.stats();
        System.out.println(
            "mirrored="
                + requests.get()
                + " lost_bytes="
                + lost.get()
                + " pcap_drop="
                + s.dropped()
                + " if_drop="
                + s.droppedByIf()
                + " gaps="
                + s.reassembly().gapBytes());
        System.out.flush();
      }
    }
  }
}
