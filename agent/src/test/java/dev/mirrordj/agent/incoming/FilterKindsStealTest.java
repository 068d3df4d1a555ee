package dev.mirrordj.agent.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.incoming.filter.FilterCompiler;
import dev.mirrordj.agent.incoming.filter.HttpFilter;
import dev.mirrordj.agent.incoming.net.NamespacedVertx;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.LeftoverRules;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.agent.incoming.steal.StealEngine;
import dev.mirrordj.agent.incoming.steal.Subscription;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Method, composite and JSON body filters in the steal path with real parts: a pod namespace with
 * an HTTP/1 app (reporting each body's length and digest) and an h2c app, iptables REDIRECT to the
 * engine, "local programs" of the same kinds, and clients sending matched and unmatched requests on
 * one connection from another namespace. Filters are built from the wire form, as the agent builds
 * them from a subscription.
 */
class FilterKindsStealTest {

  private static final int APP_PORT = 8080;
  private static final int LOCAL_PORT = 9999;
  private static final int H2_PORT = 8443;
  private static final int H2_LOCAL_PORT = 9443;
  private static final String TEN_MIB = String.valueOf(10 * 1024 * 1024);
  private static PodNetwork net;
  private static Vertx target;
  private static StealEngine engine;
  private static CommandRunner podRunner;
  private final List<String[]> subscribed = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    PodNetwork.assumeRoot();
    net = new PodNetwork();
    String app = resource("body_app.py");
    net.spawn(net.pod, "python3", app, "pod", "0.0.0.0", String.valueOf(APP_PORT));
    net.spawn(net.pod, "python3", app, "local", "127.0.0.1", String.valueOf(LOCAL_PORT));
    String h2 = resource("h2_app.js");
    net.spawn(net.pod, "node", h2, "pod", "::", String.valueOf(H2_PORT));
    net.spawn(net.pod, "node", h2, "local", "127.0.0.1", String.valueOf(H2_LOCAL_PORT));
    for (int port : new int[] {APP_PORT, LOCAL_PORT, H2_PORT, H2_LOCAL_PORT}) {
      net.awaitPort(net.pod, "127.0.0.1", port);
    }
    podRunner = new CommandRunner(net.podNs);
    target = NamespacedVertx.create(net.podNs, 1);
    engine =
        StealEngine.start(
                target,
                Duration.ofMillis(300),
                ports -> new RedirectRules(podRunner, FirewallBackend.NFT, ports[0], ports[1], 0))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (engine != null) {
      engine.close();
      assertTrue(LeftoverRules.find(podRunner).isEmpty(), "chains removed when the engine closes");
    }
    if (target != null) {
      target.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (net != null) {
      net.close();
    }
  }

  @AfterEach
  void unsubscribeAll() {
    for (String[] s : subscribed) {
      engine.unsubscribe(s[0], Integer.parseInt(s[1]));
    }
    subscribed.clear();
  }

  private static String resource(String name) throws Exception {
    return Path.of(FilterKindsStealTest.class.getResource("/incoming/" + name).toURI()).toString();
  }

  private void steal(int port, int localPort, FilterSpec spec, long maxBody, long timeoutMs) {
    HttpFilter filter =
        FilterCompiler.compile(
            new Incoming.Subscribe(
                port, Incoming.MODE_STEAL, "", "", false, false, spec, maxBody, timeoutMs));
    LocalAppTarget app =
        new LocalAppTarget(
            target.createNetClient(new NetClientOptions().setTcpNoDelay(true)),
            localPort,
            "client-1");
    engine.subscribe(new Subscription("c1", port, filter, app), false);
    subscribed.add(new String[] {"c1", String.valueOf(port)});
  }

  private void steal(FilterSpec spec) {
    steal(APP_PORT, LOCAL_PORT, spec, 65535, 1000);
  }

  /** HTTP/1 requests over one keep-alive connection; one "answer sent=digest" line each. */
  private List<String> http1(String... specs) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of("python3", resource("body_client.py"), net.podIp, String.valueOf(APP_PORT)));
    cmd.addAll(List.of(specs));
    return List.of(net.exec(net.client, cmd.toArray(String[]::new)).strip().split("\n"));
  }

  /** h2c requests as streams of one connection, one after the other; one answer line each. */
  private List<String> h2(String... specs) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of("node", resource("h2_body_client.js"), net.podIp, String.valueOf(H2_PORT)));
    cmd.addAll(List.of(specs));
    return List.of(net.exec(net.client, cmd.toArray(String[]::new)).strip().split("\n"));
  }

  /**
   * "who METHOD PATH" of an answer line, and whether the digest of what arrived is what was sent.
   */
  private static String served(String line) {
    String[] words = line.split(" ");
    String sha = line.replaceAll(".* sha=([0-9a-f]+) .*", "$1");
    String sent = line.replaceAll(".* sent=([0-9a-f]+)$", "$1");
    assertEquals(sent, sha, "the body arrived byte-exact: " + line);
    return words[0] + " " + words[1] + " " + words[2];
  }

  private static List<String> served(List<String> lines) {
    return lines.stream().map(FilterKindsStealTest::served).toList();
  }

  @Test
  void methodFilterStealsOnlyThatMethod() throws Exception {
    steal(new FilterSpec.Method("DELETE"));
    assertEquals(
        List.of("pod GET /a", "local DELETE /b", "pod POST /c", "local DELETE /d"),
        served(http1("GET /a", "DELETE /b", "POST /c|@big=1000", "DELETE /d")));
  }

  @Test
  void allOfNeedsHeaderPathAndMethodTogether() throws Exception {
    steal(
        new FilterSpec.AllOf(
            List.of(
                new FilterSpec.Header("^x-user: alice$"),
                new FilterSpec.Path("^/api/"),
                new FilterSpec.Method("POST"))));
    assertEquals(
        List.of("local POST /api/1", "pod GET /api/2", "pod POST /web/3", "pod POST /api/4"),
        served(
            http1(
                "POST /api/1|X-User: alice|@big=10",
                "GET /api/2|X-User: alice",
                "POST /web/3|X-User: alice|@big=10",
                "POST /api/4|X-User: bob|@big=10")));
  }

  @Test
  void anyOfWithANestedAllOf() throws Exception {
    steal(
        new FilterSpec.AnyOf(
            List.of(
                new FilterSpec.Header("^x-debug: 1$"),
                new FilterSpec.AllOf(
                    List.of(new FilterSpec.Method("PUT"), new FilterSpec.Path("^/orders"))))));
    assertEquals(
        List.of("local GET /x", "local PUT /orders/1", "pod PUT /users/1", "pod GET /orders"),
        served(
            http1(
                "GET /x|X-Debug: 1",
                "PUT /orders/1|@big=5",
                "PUT /users/1|@big=5",
                "GET /orders")));
  }

  @Test
  void jsonBodyFilterOnSmallBodiesAndA10MiBBodyThatPassesThroughIntact() throws Exception {
    steal(new FilterSpec.JsonBody("$.user.name", "^alice$"));
    assertEquals(
        List.of("local POST /1", "pod POST /2", "pod POST /3", "local POST /4", "pod GET /5"),
        served(
            http1(
                "POST /1|@json={\"user\": {\"name\": \"alice\"}, \"n\": 1}",
                "POST /2|@json={\"user\": {\"name\": \"bob\"}}",
                "POST /3|@big=" + TEN_MIB,
                "POST /4|@chunked|@json={\"user\": {\"name\": \"Alice\"}}",
                "GET /5")));
  }

  @Test
  void aBodyOverTheSizeLimitDoesNotMatchAndPassesThroughIntact() throws Exception {
    steal(APP_PORT, LOCAL_PORT, new FilterSpec.JsonBody("$.k", "^v$"), 64, 1000);
    String padded = "{\"k\": \"v\", \"pad\": \"" + "p".repeat(100) + "\"}";
    assertEquals(
        List.of("local POST /small", "pod POST /large", "pod POST /large-chunked"),
        served(
            http1(
                "POST /small|@json={\"k\": \"v\"}",
                "POST /large|@json=" + padded,
                "POST /large-chunked|@chunked|@json=" + padded)));
  }

  @Test
  void aBodyThatArrivesAfterTheTimeoutDoesNotMatchAndPassesThroughIntact() throws Exception {
    steal(APP_PORT, LOCAL_PORT, new FilterSpec.JsonBody("$.k", "^v$"), 65535, 300);
    String json = "{\"k\": \"v\", \"other\": \"0123456789\"}";
    assertEquals(
        List.of("pod POST /slow", "local POST /fast", "local POST /slow-within"),
        served(
            http1(
                "POST /slow|@slow=1200|@json=" + json,
                "POST /fast|@json=" + json,
                "POST /slow-within|@slow=50|@json=" + json)));
  }

  @Test
  void h2cCompositeFiltersRouteStreamsOfOneConnection() throws Exception {
    steal(
        H2_PORT,
        H2_LOCAL_PORT,
        new FilterSpec.AnyOf(
            List.of(
                new FilterSpec.AllOf(
                    List.of(new FilterSpec.Method("POST"), new FilterSpec.Header("^x-user: a"))),
                new FilterSpec.Path("^/debug"))),
        65535,
        1000);
    assertEquals(
        List.of(
            "local POST /a body=3",
            "pod GET /b body=0",
            "pod POST /c body=3",
            "local GET /debug/x body=0"),
        h2(
            "POST /a|x-user: anna|@big=3",
            "GET /b|x-user: anna",
            "POST /c|x-user: bob|@big=3",
            "GET /debug/x"));
  }

  @Test
  void h2cJsonBodyFilterAndABodyOverTheLimit() throws Exception {
    steal(H2_PORT, H2_LOCAL_PORT, new FilterSpec.JsonBody("$.items[*].id", "^7$"), 65535, 1000);
    assertEquals(
        List.of(
            "local POST /1 body=29",
            "pod POST /2 body=29",
            "pod POST /3 body=" + TEN_MIB,
            "pod GET /4 body=0"),
        h2(
            "POST /1|@json={\"items\":[{\"id\":3},{\"id\":7}]}",
            "POST /2|@json={\"items\":[{\"id\":3},{\"id\":8}]}",
            "POST /3|@big=" + TEN_MIB,
            "GET /4"));
  }
}
