package dev.mirrordj.agent.incoming.steal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.incoming.IncomingSettings;
import dev.mirrordj.agent.incoming.PodNetwork;
import dev.mirrordj.agent.incoming.redirect.CommandRunner;
import dev.mirrordj.agent.incoming.redirect.FirewallBackend;
import dev.mirrordj.agent.incoming.redirect.LeftoverRules;
import dev.mirrordj.agent.incoming.redirect.RedirectRules;
import dev.mirrordj.agent.ns.NamespacedVertx;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.incoming.FilterSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The steal verticle alone, through its addresses, with real redirect rules in a throw-away network
 * namespace (root; CI=true makes it mandatory): the messages a session would send (subscribe,
 * unsubscribe, filter change, client gone) and the rules events it announces.
 */
@ExtendWith(VertxExtension.class)
class StealVerticleTest {
  private static PodNetwork net;
  private static Vertx target;
  private static CommandRunner podRunner;

  private final IncomingClients clients = new IncomingClients();
  private final BlockingQueue<AgentMessages.RulesChanged> rules = new LinkedBlockingQueue<>();
  private StealVerticle steal;

  /** A client whose connections the test never needs: open() refuses. */
  private static StealTarget client(String name) {
    return new StealTarget() {
      @Override
      public Future<Upstream> open(ConnectionInfo connection) {
        return Future.failedFuture("not used by this test");
      }

      @Override
      public String describe() {
        return name;
      }
    };
  }

  @BeforeAll
  static void namespace() throws Exception {
    PodNetwork.assumeRoot();
    net = new PodNetwork();
    podRunner = new CommandRunner(net.podNs());
    target = NamespacedVertx.create(net.podNs(), 1);
  }

  @AfterAll
  static void removeNamespace() throws Exception {
    if (target != null) {
      target.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (net != null) {
      net.close();
    }
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    clients.add("session-1", client("session 1"), null);
    clients.add("session-2", client("session 2"), null);
    steal =
        new StealVerticle(
            clients,
            () ->
                StealEngine.start(
                        target,
                        Duration.ofMillis(300),
                        ports ->
                            new RedirectRules(
                                podRunner, FirewallBackend.NFT, ports[0], ports[1], 0))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS),
            new IncomingSettings(null, null, null));
    vertx.deployVerticle(steal).await();
    vertx
        .eventBus()
        .<AgentMessages.RulesChanged>consumer(AgentAddresses.STEAL_RULES, m -> rules.add(m.body()))
        .completion()
        .await();
  }

  @AfterEach
  void undeploy(Vertx vertx) {
    vertx.deploymentIDs().forEach(id -> vertx.undeploy(id).await());
    assertTrue(LeftoverRules.find(podRunner).isEmpty(), "undeploying removes every chain");
  }

  private AgentMessages.RulesChanged nextRules() throws InterruptedException {
    AgentMessages.RulesChanged r = rules.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no rules event within 10 s");
    }
    return r;
  }

  private static AgentMessages.Subscribe subscribe(String client, int port, String header) {
    return new AgentMessages.Subscribe(client, port, header, "", false, false);
  }

  private static int failureCode(Vertx vertx, String address, Object message) {
    try {
      vertx.eventBus().request(address, message).await();
    } catch (ReplyException re) {
      return re.failureCode();
    }
    throw new AssertionError("expected " + address + " to refuse " + message);
  }

  @Test
  void subscribeInstallsRulesAndUnsubscribeRemovesThem(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    vertx
        .eventBus()
        .request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8080, ""))
        .await();
    assertEquals(new AgentMessages.RulesChanged(8080, true), nextRules());
    List<String> installed = LeftoverRules.redirects(podRunner);
    assertTrue(
        installed.stream().anyMatch(l -> l.contains("--dport 8080")),
        "an iptables REDIRECT for port 8080 is in the namespace: " + installed);

    vertx
        .eventBus()
        .request(AgentAddresses.STEAL_UNSUBSCRIBE, new AgentMessages.Unsubscribe("session-1", 8080))
        .await();
    assertEquals(new AgentMessages.RulesChanged(8080, false), nextRules());
    assertTrue(LeftoverRules.redirects(podRunner).isEmpty(), "the redirect is gone");
    ctx.completeNow();
  }

  @Test
  void clientGoneReleasesItsSubscriptionsAndOnlyThose(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    var bus = vertx.eventBus();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8081, "")).await();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8082, "x-a: 1")).await();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-2", 8082, "x-b: 1")).await();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-2", 8083, "")).await();
    assertEquals(8081, nextRules().port());
    assertEquals(8082, nextRules().port());
    assertEquals(8083, nextRules().port());

    bus.publish(AgentAddresses.CLIENT_GONE, new AgentMessages.ClientGone("session-1", "test"));
    assertEquals(new AgentMessages.RulesChanged(8081, false), nextRules());
    List<String> left = LeftoverRules.redirects(podRunner);
    assertTrue(left.stream().noneMatch(l -> l.contains("--dport 8081")), "8081 released: " + left);
    assertTrue(left.stream().anyMatch(l -> l.contains("--dport 8082")), "8082 still stolen by 2");
    assertTrue(left.stream().anyMatch(l -> l.contains("--dport 8083")), "8083 still stolen by 2");

    bus.publish(AgentAddresses.CLIENT_GONE, new AgentMessages.ClientGone("session-2", "test"));
    var last = List.of(nextRules(), nextRules());
    assertTrue(last.contains(new AgentMessages.RulesChanged(8082, false)), last.toString());
    assertTrue(last.contains(new AgentMessages.RulesChanged(8083, false)), last.toString());
    assertTrue(LeftoverRules.redirects(podRunner).isEmpty());
    ctx.completeNow();
  }

  @Test
  void refusalsCarryTheErrnoTheClientGets(Vertx vertx, VertxTestContext ctx) throws Exception {
    var bus = vertx.eventBus();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8084, "")).await();
    assertEquals(8084, nextRules().port());
    assertEquals(
        Errno.EADDRINUSE,
        failureCode(vertx, AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-2", 8084, "")),
        "a port stolen whole is not shared");
    assertEquals(
        Errno.EINVAL,
        failureCode(vertx, AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-2", 8085, "(")),
        "a filter that does not compile");
    assertEquals(
        Errno.ENOENT,
        failureCode(vertx, AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-9", 8086, "")),
        "a client this worker does not know");
    ctx.completeNow();
  }

  @Test
  void aFilterChangeKeepsThePortAndItsRules(Vertx vertx, VertxTestContext ctx) throws Exception {
    var bus = vertx.eventBus();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8087, "x-a: 1")).await();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-2", 8087, "x-b: 1")).await();
    assertEquals(8087, nextRules().port());
    bus.request(
            AgentAddresses.STEAL_FILTER,
            new AgentMessages.Subscribe(
                "session-1",
                8087,
                "",
                "",
                false,
                false,
                new FilterSpec.AllOf(
                    List.of(new FilterSpec.Method("POST"), new FilterSpec.Header("x-c: 1"))),
                1024,
                100))
        .await();
    assertEquals(
        Errno.EADDRINUSE,
        failureCode(vertx, AgentAddresses.STEAL_FILTER, subscribe("session-1", 8087, "")),
        "dropping the filter on a shared port would take it whole");
    assertTrue(rules.isEmpty(), "no rules change for a filter change: " + rules);
    assertTrue(
        LeftoverRules.redirects(podRunner).stream().anyMatch(l -> l.contains("--dport 8087")));
    ctx.completeNow();
  }

  @Test
  void aSubscribeReleasedBeforeItWasAppliedInstallsNothing(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    var bus = vertx.eventBus();
    // the first subscription starts the engine (hundreds of ms): the release sent right behind it
    // arrives while it waits, as when a program closes its listener within milliseconds
    Future<?> subscribed =
        bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8088, ""));
    Future<?> released =
        bus.request(
            AgentAddresses.STEAL_UNSUBSCRIBE, new AgentMessages.Unsubscribe("session-1", 8088));
    Future.all(subscribed, released).await();
    assertTrue(
        LeftoverRules.redirects(podRunner).stream().noneMatch(l -> l.contains("--dport 8088")),
        "no redirect was ever installed for the released port");
    // rules events come in order: the first one is the later subscription's, so none came from
    // the released one
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8091, "")).await();
    assertEquals(new AgentMessages.RulesChanged(8091, true), nextRules());
    // a later subscribe of the released port is a new one and is applied
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8088, "")).await();
    assertEquals(new AgentMessages.RulesChanged(8088, true), nextRules());
    ctx.completeNow();
  }

  @Test
  void aSubscribeOfAClientThatLeftBeforeItWasAppliedInstallsNothing(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    var bus = vertx.eventBus();
    Future<?> subscribed =
        bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-2", 8089, ""));
    bus.publish(AgentAddresses.CLIENT_GONE, new AgentMessages.ClientGone("session-2", "test"));
    subscribed.await();
    bus.request(AgentAddresses.STEAL_SUBSCRIBE, subscribe("session-1", 8090, "")).await();
    assertEquals(
        new AgentMessages.RulesChanged(8090, true),
        nextRules(),
        "the departed client's port got no rules");
    assertTrue(
        LeftoverRules.redirects(podRunner).stream().noneMatch(l -> l.contains("--dport 8089")));
    ctx.completeNow();
  }
}
