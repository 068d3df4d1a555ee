package dev.mirrordj.verticles.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.verticles.cluster.impl.HazelcastMembership;
import dev.mirrordj.verticles.cluster.impl.HazelcastSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster verticle alone on two clustered Vert.x nodes in this JVM (Hazelcast on loopback,
 * TCP-IP join): its addresses for sessions, port claims under each on_concurrent_steal, the status,
 * kills, and the release of a departed node's sessions and locks. No session router, no agents: the
 * "holder" of an overridden lock is a consumer on the session's end address.
 */
class ClusterVerticleTest {
  private Vertx first;
  private Vertx second;

  @BeforeEach
  void cluster() throws Exception {
    int c1 = freePort(), c2 = freePort();
    CompletableFuture<Vertx> a =
        node(c1, c2, "127.0.0.1:7001").toCompletionStage().toCompletableFuture();
    CompletableFuture<Vertx> b =
        node(c2, c1, "127.0.0.1:7002").toCompletionStage().toCompletableFuture();
    first = a.get(120, TimeUnit.SECONDS);
    second = b.get(120, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    for (Vertx v : new Vertx[] {first, second}) {
      if (v != null) v.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static Future<Vertx> node(int clusterPort, int other, String address) {
    OperatorSettings s =
        new OperatorSettings(
            "127.0.0.1",
            0,
            0,
            clusterPort,
            List.of("127.0.0.1:" + other),
            "",
            List.of(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(s));
    return Vertx.builder()
        .with(
            new VertxOptions()
                .setEventBusOptions(
                    new EventBusOptions()
                        .setHost("127.0.0.1")
                        .setPort(0)
                        .setClusterPublicHost("127.0.0.1")))
        .withClusterManager(manager)
        .buildClustered()
        .compose(
            vertx ->
                vertx
                    .deployVerticle(
                        new ClusterVerticle(
                            new HazelcastMembership(manager), address, "127.0.0.1:0"))
                    .map(vertx));
  }

  @Test
  void claimsFollowOnConcurrentStealAndTheStatusShowsThem() throws Exception {
    open(first, "s-alice", "alice", "abort");
    open(second, "s-bob", "bob", "abort");
    open(second, "s-carol", "carol", "continue");
    open(second, "s-dave", "dave", "override");

    assertEquals("granted", claim(first, "s-alice", 80, "").getString("outcome"));
    assertEquals(
        "granted", claim(first, "s-alice", 80, "").getString("outcome"), "a holder may ask again");

    JsonObject refused = claim(second, "s-bob", 80, "");
    assertEquals("refused", refused.getString("outcome"));
    assertTrue(
        refused
            .getString("message")
            .contains("port 80 of pid/42 is locked by root (alice) (session s-alice)"),
        refused.encode());
    JsonObject filteredRefused = claim(second, "s-bob", 80, "header ^x-user: bob$");
    assertEquals(
        "refused", filteredRefused.getString("outcome"), "a filter cannot share a locked port");

    JsonObject cont = claim(second, "s-carol", 80, "");
    assertEquals("continue", cont.getString("outcome"));
    assertTrue(cont.getString("message").contains("runs without that port"), cont.encode());

    // the holder's node is told to end it, with who took the port
    CompletableFuture<String> told = new CompletableFuture<>();
    first
        .eventBus()
        .<JsonObject>consumer(
            OperatorAddresses.sessionEnd("s-alice"),
            m -> {
              told.complete(m.body().getString("reason"));
              m.reply(new JsonObject());
            })
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    JsonObject overrode = claim(second, "s-dave", 80, "");
    assertEquals("overrode", overrode.getString("outcome"), overrode.encode());
    assertEquals("s-alice", overrode.getString("holder_session"));
    String reason = told.get(30, TimeUnit.SECONDS);
    assertTrue(reason.contains("root (dave) (session s-dave) took over port 80"), reason);

    JsonObject status = status(first);
    assertEquals(1, status.getJsonArray("locks").size(), status.encodePrettily());
    JsonObject lock = status.getJsonArray("locks").getJsonObject(0);
    assertEquals("s-dave", lock.getString("session"));
    assertEquals("root", lock.getString("user"));
    assertEquals(80, lock.getInteger("port"));
    assertEquals("pid/42", lock.getString("target"));
    assertEquals(
        3,
        status.getJsonArray("sessions").size(),
        "alice's session is gone: " + status.encodePrettily());
    assertEquals(2, status.getJsonArray("nodes").size());

    // a filtered steal on a free port takes no lock and shows its filter
    assertEquals(
        "granted", claim(second, "s-bob", 8080, "header ^x-user: bob$").getString("outcome"));
    JsonObject bob =
        status(second).getJsonArray("sessions").stream()
            .map(o -> (JsonObject) o)
            .filter(s -> s.getString("id").equals("s-bob"))
            .findFirst()
            .orElseThrow();
    assertEquals(8080, bob.getJsonArray("ports").getInteger(0));
    assertTrue(bob.getJsonArray("filters").encode().contains("x-user: bob"), bob.encode());
    assertEquals("127.0.0.1:7002", bob.getString("node"));
    assertEquals(1, status(second).getJsonArray("locks").size());

    // releasing frees the lock for others
    request(
        second,
        OperatorAddresses.PORT_RELEASE,
        new JsonObject().put("session", "s-dave").put("port", 80));
    assertEquals("granted", claim(second, "s-bob", 80, "").getString("outcome"));
  }

  @Test
  void aDepartedNodesSessionsAndLocksAreReleasedByTheSurvivor() throws Exception {
    open(first, "s-gone", "erin", "abort");
    open(second, "s-stays", "frank", "abort");
    assertEquals("granted", claim(first, "s-gone", 80, "").getString("outcome"));
    assertEquals("granted", claim(second, "s-stays", 81, "").getString("outcome"));

    first.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    first = null;

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonObject status = status(second);
    while (System.nanoTime() < deadline && status.getJsonArray("sessions").size() != 1) {
      Thread.sleep(100); // polling the shared maps for the survivor's cleanup
      status = status(second);
    }
    assertEquals(1, status.getJsonArray("sessions").size(), status.encodePrettily());
    assertEquals("s-stays", status.getJsonArray("sessions").getJsonObject(0).getString("id"));
    assertEquals(1, status.getJsonArray("locks").size(), status.encodePrettily());
    assertEquals(81, status.getJsonArray("locks").getJsonObject(0).getInteger("port"));
    assertEquals(
        1,
        status.getJsonArray("nodes").stream()
            .filter(n -> !((JsonObject) n).getBoolean("alive"))
            .count(),
        status.encodePrettily());
  }

  @Test
  void killingAnUnknownSessionIs404AndADuplicateIdIsRefused() throws Exception {
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                request(first, OperatorAddresses.SESSION_KILL, new JsonObject().put("id", "nope")));
    assertEquals(404, ((ReplyException) e.getCause()).failureCode());
    open(first, "s-one", "gina", "abort");
    ExecutionException dup =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> open(second, "s-one", "hal", "abort"));
    assertEquals(409, ((ReplyException) dup.getCause()).failureCode());
  }

  private static void open(Vertx node, String id, String display, String mode) throws Exception {
    request(
        node,
        OperatorAddresses.SESSION_OPEN,
        new JsonObject()
            .put("id", id)
            .put("user", "root")
            .put("display_name", display)
            .put("target", "pid/42")
            .put("on_concurrent_steal", mode));
  }

  private static JsonObject claim(Vertx node, String session, int port, String filter)
      throws Exception {
    return request(
        node,
        OperatorAddresses.PORT_CLAIM,
        new JsonObject()
            .put("session", session)
            .put("port", port)
            .put("mode", "steal")
            .put("filter", filter));
  }

  private static JsonObject status(Vertx node) throws Exception {
    return request(node, OperatorAddresses.STATUS, null);
  }

  private static JsonObject request(Vertx node, String address, JsonObject body) throws Exception {
    return node.eventBus()
        .<JsonObject>request(address, body)
        .map(m -> m.body())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
