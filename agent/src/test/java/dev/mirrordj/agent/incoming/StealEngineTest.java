package dev.mirrordj.agent.incoming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.incoming.filter.FancyFilterRegex;
import dev.mirrordj.agent.incoming.filter.HttpFilter;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.LeftoverRules;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.agent.incoming.steal.StealEngine;
import dev.mirrordj.agent.incoming.steal.Subscription;
import dev.mirrordj.agent.ns.NamespacedVertx;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.nio.file.Files;
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
 * Steal end to end with real parts: a pod namespace running a python HTTP app on 8080 and a raw
 * echo server on 7000, iptables REDIRECT to our listener, a "local program" (another python app)
 * reached through a {@link LocalAppTarget}, and clients in a separate namespace.
 */
class StealEngineTest {

  private static final int APP_PORT = 8080;
  private static final int LOCAL_PORT = 9999;
  private static final int SECOND_LOCAL_PORT = 9998;
  private static final int ECHO_PORT = 7000;
  private static final int H2_PORT = 8443;
  private static final int H2_LOCAL_PORT = 9443;
  private static PodNetwork net;
  private static Vertx target;
  private static StealEngine engine;
  private static CommandRunner podRunner;
  private static String script;
  private static String clientScript;
  private final List<String[]> subscribed = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    PodNetwork.assumeRoot();
    net = new PodNetwork();
    script = resource("app_server.py");
    clientScript = resource("client.py");
    net.spawn(net.pod, "python3", script, "pod", "::", String.valueOf(APP_PORT));
    net.spawn(net.pod, "python3", script, "local", "127.0.0.1", String.valueOf(LOCAL_PORT));
    net.spawn(net.pod, "python3", script, "second", "127.0.0.1", String.valueOf(SECOND_LOCAL_PORT));
    net.spawn(net.pod, "python3", resource("echo_server.py"), String.valueOf(ECHO_PORT));
    String h2 = resource("h2_app.js");
    net.spawn(net.pod, "node", h2, "pod", "::", String.valueOf(H2_PORT));
    net.spawn(net.pod, "node", h2, "local", "127.0.0.1", String.valueOf(H2_LOCAL_PORT));
    net.awaitPort(net.pod, "127.0.0.1", H2_PORT);
    net.awaitPort(net.pod, "127.0.0.1", H2_LOCAL_PORT);
    net.awaitPort(net.pod, "127.0.0.1", APP_PORT);
    net.awaitPort(net.pod, "127.0.0.1", LOCAL_PORT);
    net.awaitPort(net.pod, "127.0.0.1", SECOND_LOCAL_PORT);
    net.awaitPort(net.pod, "127.0.0.1", ECHO_PORT);
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
    assertTrue(
        LeftoverRules.redirects(podRunner).isEmpty(),
        "redirects removed with the last subscription");
  }

  private static String resource(String name) throws Exception {
    return Path.of(StealEngineTest.class.getResource("/incoming/" + name).toURI()).toString();
  }

  private LocalAppTarget localApp(int port, String name) {
    return new LocalAppTarget(
        target.createNetClient(new NetClientOptions().setTcpNoDelay(true)), port, name);
  }

  private void subscribe(String client, int port, HttpFilter filter, LocalAppTarget app) {
    subscribe(client, port, filter, app, false);
  }

  private void subscribe(
      String client, int port, HttpFilter filter, LocalAppTarget app, boolean flush) {
    engine.subscribe(new Subscription(client, port, filter, app), flush);
    subscribed.add(new String[] {client, String.valueOf(port)});
  }

  /**
   * Sends the requests over one keep-alive connection from the client namespace; one body per line.
   */
  private List<String> requests(String host, String... specs) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("python3", clientScript, host, String.valueOf(APP_PORT)));
    cmd.addAll(List.of(specs));
    return List.of(net.exec(net.client, cmd.toArray(String[]::new)).strip().split("\n"));
  }

  @Test
  void wholePortStealSendsEverythingToTheLocalProgramAndUnsubscribeGivesItBack() throws Exception {
    assertEquals(List.of("pod GET /a body=0"), requests(net.podIp, "GET /a"));
    LocalAppTarget app = localApp(LOCAL_PORT, "client-1");
    subscribe("c1", APP_PORT, null, app);
    assertFalse(LeftoverRules.find(podRunner).isEmpty(), "our chains are installed while stealing");
    assertEquals(
        List.of("local GET /a body=0", "local POST /b body=100000"),
        requests(net.podIp, "GET /a", "POST /b"));
    assertEquals(net.clientIp, app.opened.get(0).peer().getAddress().getHostAddress());
    assertEquals(APP_PORT, app.opened.get(0).originalDestination().getPort());
    engine.unsubscribe("c1", APP_PORT);
    subscribed.clear();
    assertEquals(List.of("pod GET /a body=0"), requests(net.podIp, "GET /a"));
  }

  /**
   * One keep-alive connection: GET /a, wait for the go file, GET /b; each answer appended to the
   * out file.
   */
  private static final String IN_FLIGHT_CLIENT =
      String.join(
          "\n",
          "import http.client, os, sys, time",
          "host, port, out, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]",
          "c = http.client.HTTPConnection(host, port, timeout=10)",
          "for path in ('/a', '/b'):",
          "    if path == '/b':",
          "        while not os.path.exists(go): time.sleep(0.02)",
          "    try:",
          "        c.request('GET', path); body = c.getresponse().read().decode().strip()",
          "    except Exception as e:",
          "        body = 'ERROR ' + repr(e)",
          "    with open(out, 'a') as f: f.write(body + '\\n')",
          "");

  @Test
  void aStolenConnectionInFlightSurvivesTheLastUnsubscribe() throws Exception {
    subscribe("c1", APP_PORT, null, localApp(LOCAL_PORT, "client-1"));
    Path dir = java.nio.file.Files.createTempDirectory("mdj-inflight");
    Path out = dir.resolve("out");
    Path go = dir.resolve("go");
    try {
      net.spawn(
          net.client,
          "python3",
          "-c",
          IN_FLIGHT_CLIENT,
          net.podIp,
          String.valueOf(APP_PORT),
          out.toString(),
          go.toString());
      awaitLines(out, 1);
      engine.unsubscribe("c1", APP_PORT); // the namespace's last port REDIRECT rule goes
      subscribed.clear();
      java.nio.file.Files.writeString(go, "");
      awaitLines(out, 2);
      // the kernel kept the connection's NAT binding: its second request still reaches the local
      // program
      assertEquals(
          List.of("local GET /a body=0", "local GET /b body=0"),
          java.nio.file.Files.readAllLines(out));
      assertEquals(
          List.of("pod GET /c body=0"),
          requests(net.podIp, "GET /c"),
          "new connections reach the pod again");
    } finally {
      for (Path p : List.of(out, go, dir)) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  private static void awaitLines(Path file, int n) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!java.nio.file.Files.exists(file) || java.nio.file.Files.readAllLines(file).size() < n) {
      assertTrue(System.nanoTime() < deadline, "fewer than " + n + " answers in " + file);
      Thread.sleep(20); // polling the client's output file
    }
  }

  @Test
  void headerFilterRoutesMatchingRequestsOfOneConnectionToTheLocalProgramAndTheRestToThePod()
      throws Exception {
    subscribe(
        "c1",
        APP_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: alice$")),
        localApp(LOCAL_PORT, "client-1"));
    List<String> got =
        requests(
            net.podIp,
            "GET /1|X-User: alice",
            "GET /2|X-User: bob",
            "POST /3|x-user: ALICE",
            "GET /4",
            "HEAD /5|X-User: alice",
            "GET /6|X-User: alice");
    assertEquals(
        List.of(
            "local GET /1 body=0",
            "pod GET /2 body=0",
            "local POST /3 body=100000",
            "pod GET /4 body=0",
            "",
            "local GET /6 body=0"),
        got);
  }

  @Test
  void pathFilterWithNegativeLookaheadStealsEverythingButHealthChecks() throws Exception {
    subscribe(
        "c1",
        APP_PORT,
        HttpFilter.path(FancyFilterRegex.compile("^(?!/health/)")),
        localApp(LOCAL_PORT, "client-1"));
    assertEquals(
        List.of(
            "pod GET /health/live body=0",
            "local GET /api/x?q=1 body=0",
            "local GET /healthz body=0"),
        requests(net.podIp, "GET /health/live", "GET /api/x?q=1", "GET /healthz"));
  }

  @Test
  void kubeProbeLookaheadLeavesProbesToThePod() throws Exception {
    subscribe(
        "c1",
        APP_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^User-Agent: (?!kube-probe)")),
        localApp(LOCAL_PORT, "client-1"));
    assertEquals(
        List.of("pod GET /ready body=0", "local GET /ready body=0"),
        requests(
            net.podIp, "GET /ready|User-Agent: kube-probe/1.29", "GET /ready|User-Agent: curl/8"));
  }

  @Test
  void eachRequestGoesToTheFirstMatchingSubscriberInSubscriptionOrder() throws Exception {
    subscribe(
        "c1",
        APP_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: a")),
        localApp(LOCAL_PORT, "client-1"));
    subscribe(
        "c2",
        APP_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: ")),
        localApp(SECOND_LOCAL_PORT, "client-2"));
    assertEquals(
        List.of(
            "local GET /1 body=0",
            "second GET /2 body=0",
            "pod GET /3 body=0",
            "local GET /4 body=0"),
        requests(
            net.podIp,
            "GET /1|X-User: alice",
            "GET /2|X-User: bob",
            "GET /3",
            "GET /4|X-User: anna"));
  }

  @Test
  void ipv6ConnectionsAreStolenToo() throws Exception {
    subscribe(
        "c1",
        APP_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: alice$")),
        localApp(LOCAL_PORT, "client-1"));
    assertEquals(
        List.of("local GET /v6 body=0", "pod GET /v6 body=0"),
        requests(net.podIp6, "GET /v6|X-User: alice", "GET /v6"));
  }

  @Test
  void nonHttpBytesOnAFilteredPortPassThroughByteExact() throws Exception {
    subscribe(
        "c1",
        ECHO_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: alice$")),
        localApp(LOCAL_PORT, "client-1"));
    String echo =
        net.exec(
            net.client,
            "python3",
            "-c",
            String.join(
                "\n",
                "import socket, os, threading",
                "data = bytes(range(256)) * 4000 + os.urandom(50000)",
                "s = socket.create_connection(('" + net.podIp + "', " + ECHO_PORT + "), 5)",
                "def send():",
                "    s.sendall(data); s.shutdown(socket.SHUT_WR)",
                "threading.Thread(target=send).start()",
                "got = b''",
                "try:",
                "    while True:",
                "        c = s.recv(65536)",
                "        if not c: break",
                "        got += c",
                "except socket.timeout:",
                "    print('timeout after', len(got), 'bytes')",
                "print(got == data, len(got))"));
    assertEquals("True 1074000", echo.strip());
  }

  @Test
  void upgradeAfterMatchedAndUnmatchedRequestsContinuesAsRawBytes() throws Exception {
    subscribe(
        "c1",
        APP_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: alice$")),
        localApp(LOCAL_PORT, "client-1"));
    String code =
        String.join(
            "\n",
            "import socket, sys",
            "user = sys.argv[1]",
            "s = socket.create_connection(('" + net.podIp + "', " + APP_PORT + "), 5)",
            "s.sendall(b'GET /ws HTTP/1.1\\r\\nHost: x\\r\\nX-User: ' + user.encode() + b'\\r\\nConnection: Upgrade\\r\\nUpgrade: websocket\\r\\n\\r\\n')",
            "buf = b''",
            "while b'\\r\\n\\r\\n' not in buf: buf += s.recv(4096)",
            "s.sendall(b'\\x81\\x05hello')",
            "got = b''",
            "while len(got) < 7 + len(sys.argv[2]): got += s.recv(4096)",
            "print(buf.split(b'\\r\\n')[0].decode(), got)");
    assertEquals(
        "HTTP/1.1 101 Switching Protocols b'local:\\x81\\x05hello'",
        net.exec(net.client, "python3", "-c", code, "alice", "local:").strip());
    assertEquals(
        "HTTP/1.1 101 Switching Protocols b'pod:\\x81\\x05hello'",
        net.exec(net.client, "python3", "-c", code, "bob", "pod:").strip());
  }

  /**
   * A keep-alive connection made before the steal: request 1, then wait for GO, then request 2,
   * then a new connection. The pod has a NAT rule of its own (as a mesh sidecar gives real pods),
   * so the kernel tracks and NAT-binds connections before our redirect exists; that is the case
   * where established connections escape a new redirect unless flushed.
   */
  private String[] connectionAcrossSubscribe(boolean flush) throws Exception {
    String[] podRule = {
      "iptables-nft",
      "-t",
      "nat",
      "-A",
      "PREROUTING",
      "-p",
      "tcp",
      "--dport",
      "7001",
      "-j",
      "REDIRECT",
      "--to-ports",
      "7002"
    };
    podRunner.runChecked(podRule);
    try {
      return connectionAcrossSubscribe0(flush);
    } finally {
      podRule[3] = "-D";
      podRunner.runChecked(podRule);
    }
  }

  private String[] connectionAcrossSubscribe0(boolean flush) throws Exception {
    Path go = Files.createTempFile("mirrordj-go", "");
    Files.delete(go);
    String code =
        String.join(
            "\n",
            "import http.client, os, sys, time",
            "c = http.client.HTTPConnection('" + net.podIp + "', " + APP_PORT + ", timeout=5)",
            "c.request('GET', '/before'); print(c.getresponse().read().decode(), flush=True)",
            "while not os.path.exists(sys.argv[1]): time.sleep(0.02)",
            "try:",
            "    c.request('GET', '/after'); print(c.getresponse().read().decode())",
            "except Exception as e:",
            "    print('connection failed: ' + type(e).__name__)",
            "c = http.client.HTTPConnection('" + net.podIp + "', " + APP_PORT + ", timeout=5)",
            "c.request('GET', '/new'); print(c.getresponse().read().decode())");
    Process p =
        new ProcessBuilder("ip", "netns", "exec", net.client, "python3", "-c", code, go.toString())
            .redirectErrorStream(true)
            .start();
    java.io.BufferedReader out =
        new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    String first = out.readLine();
    subscribe("c1", APP_PORT, null, localApp(LOCAL_PORT, "client-1"), flush);
    Files.createFile(go);
    String second = out.readLine();
    String third = out.readLine();
    p.waitFor(20, TimeUnit.SECONDS);
    Files.deleteIfExists(go);
    return new String[] {first, second, third};
  }

  @Test
  void withoutFlushAnEstablishedConnectionStaysWithThePod() throws Exception {
    assertArrayEquals(
        new String[] {"pod GET /before body=0", "pod GET /after body=0", "local GET /new body=0"},
        connectionAcrossSubscribe(false));
  }

  @Test
  void flushConnectionsResetsEstablishedConnectionsSoTheyComeBackThroughTheRedirect()
      throws Exception {
    String[] got = connectionAcrossSubscribe(true);
    assertEquals("pod GET /before body=0", got[0]);
    assertTrue(
        got[1].startsWith("connection failed"), "the old connection must be reset: " + got[1]);
    assertEquals("local GET /new body=0", got[2]);
  }

  @Test
  void http2StreamsOfOneConnectionAreRoutedOneByOne() throws Exception {
    subscribe(
        "c1",
        H2_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: alice$")),
        localApp(H2_LOCAL_PORT, "client-1"));
    String out =
        net.exec(
            net.client,
            "node",
            resource("h2_client.js"),
            net.podIp,
            String.valueOf(H2_PORT),
            "GET /a|x-user: alice",
            "GET /b|x-user: bob",
            "POST /c|x-user: alice",
            "POST /d",
            "GET /e|X-User: ALICE");
    assertEquals(
        List.of(
            "local GET /a body=0",
            "pod GET /b body=0",
            "local POST /c body=200000",
            "pod POST /d body=200000",
            "local GET /e body=0"),
        List.of(out.strip().split("\n")));
  }

  @Test
  void http2PathFilterAndManyConcurrentStreams() throws Exception {
    subscribe(
        "c1",
        H2_PORT,
        HttpFilter.path(FancyFilterRegex.compile("^/api/")),
        localApp(H2_LOCAL_PORT, "client-1"));
    List<String> specs = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String path = (i % 3 == 0 ? "/api/" : "/web/") + i;
      specs.add("GET " + path);
      expected.add((i % 3 == 0 ? "local" : "pod") + " GET " + path + " body=0");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of("node", resource("h2_client.js"), net.podIp, String.valueOf(H2_PORT)));
    cmd.addAll(specs);
    assertEquals(
        expected, List.of(net.exec(net.client, cmd.toArray(String[]::new)).strip().split("\n")));
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAcrossTargetsAndExpectContinueWorks() throws Exception {
    subscribe(
        "c1",
        APP_PORT,
        HttpFilter.header(FancyFilterRegex.compile("^x-user: alice$")),
        localApp(LOCAL_PORT, "client-1"));
    String code =
        String.join(
            "\n",
            "import re, socket",
            "s = socket.create_connection(('" + net.podIp + "', " + APP_PORT + "), 5)",
            "req = lambda p, u: ('GET %s HTTP/1.1\\r\\nHost: x\\r\\nX-User: %s\\r\\n\\r\\n' % (p, u)).encode()",
            "s.sendall(req('/p1', 'alice') + req('/p2', 'bob') + req('/p3', 'alice'))  # one write, three requests",
            "buf = b''",
            "while buf.count(b'body=0') < 3: buf += s.recv(65536)",
            "bodies = re.findall(rb'[a-z]+ GET /p[0-9] body=0', buf)",
            "print(b'|'.join(bodies).decode())",
            "s.sendall(b'POST /e HTTP/1.1\\r\\nHost: x\\r\\nX-User: alice\\r\\nContent-Length: 5\\r\\nExpect: 100-continue\\r\\n\\r\\n')",
            "first = s.recv(65536)",
            "print(first.split(b'\\r\\n')[0].decode())",
            "s.sendall(b'hello')",
            "rest = b''",
            "while b'body=5' not in rest: rest += s.recv(65536)",
            "print([l for l in rest.split(b'\\r\\n') if b'body=' in l][0].decode())");
    List<String> lines = List.of(net.exec(net.client, "python3", "-c", code).strip().split("\n"));
    assertEquals(
        List.of(
            "local GET /p1 body=0|pod GET /p2 body=0|local GET /p3 body=0",
            "HTTP/1.1 100 Continue",
            "local POST /e body=5"),
        lines);
  }
}
