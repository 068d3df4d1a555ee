package dev.mirrordj.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.HostnameReader;
import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentCodecs;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.dns.DnsLookups;
import dev.mirrordj.agent.dns.DnsResolver;
import dev.mirrordj.agent.env.EnvService;
import dev.mirrordj.agent.env.EnvironmentLookups;
import dev.mirrordj.agent.fs.FileService;
import dev.mirrordj.agent.fs.PathResolver;
import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.net.OutgoingService;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session verticle alone, with a real client speaking the protocol over TCP. The features are
 * not deployed: the test answers their attach addresses with the services they would hand out, and
 * plays the steal verticle; it checks what a session sends its neighbours (attach, subscribe,
 * client gone) and what the client gets back.
 */
@ExtendWith(VertxExtension.class)
class SessionVerticleTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void aClientIsServedThroughTheAttachedFeaturesAndItsDepartureIsAnnounced(
      Vertx vertx, VertxTestContext ctx, @TempDir Path root) throws Exception {
    java.nio.file.Files.writeString(root.resolve("motd"), "served by the session");
    AgentCodecs.register(vertx);
    var bus = vertx.eventBus();
    BlockingQueue<String> attached = attachFeatures(vertx, root);
    BlockingQueue<AgentMessages.Subscribe> stealRequests = new LinkedBlockingQueue<>();
    bus.<AgentMessages.Subscribe>consumer(
            AgentAddresses.STEAL_SUBSCRIBE,
            m -> {
              stealRequests.add(m.body());
              m.fail(Errno.EADDRINUSE, "port 80 is already stolen by someone else");
            })
        .completion()
        .await();
    BlockingQueue<AgentMessages.ClientGone> gone = new LinkedBlockingQueue<>();
    bus.<AgentMessages.ClientGone>consumer(AgentAddresses.CLIENT_GONE, m -> gone.add(m.body()))
        .completion()
        .await();

    IncomingClients incomingClients = new IncomingClients();
    BlockingQueue<String> ended = new LinkedBlockingQueue<>();
    AgentClient client = connect(vertx, incomingClients, ended);
    assertEquals("files session-1", attached.poll(10, TimeUnit.SECONDS));
    assertEquals("outgoing session-1", attached.poll(10, TimeUnit.SECONDS));
    assertTrue(incomingClients.stealTarget("session-1") != null, "the session is in the directory");

    long fd =
        assertInstanceOf(
                Files.HandleReply.class, client.request(new Files.Open("/motd", 0, 0)).await())
            .fd();
    assertEquals(
        "served by the session",
        assertInstanceOf(Files.BytesReply.class, client.request(new Files.Read(fd, 64)).await())
            .data()
            .toString());

    CompletionException refused =
        assertThrows(
            CompletionException.class,
            () ->
                client
                    .request(new Incoming.Subscribe(80, Incoming.MODE_STEAL, "", "", false, false))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .join());
    RemoteErrnoException errno = assertInstanceOf(RemoteErrnoException.class, refused.getCause());
    assertEquals(Errno.EADDRINUSE, errno.errno(), "the steal verticle's errno reaches the client");
    AgentMessages.Subscribe asked = stealRequests.poll(10, TimeUnit.SECONDS);
    assertEquals(new AgentMessages.Subscribe("session-1", 80, "", "", false, false), asked);

    client.close().await();
    AgentMessages.ClientGone bye = gone.poll(10, TimeUnit.SECONDS);
    assertEquals("session-1", bye == null ? null : bye.clientId(), "client gone is published");
    assertEquals("session-1", ended.poll(10, TimeUnit.SECONDS));
    assertEquals(null, incomingClients.stealTarget("session-1"), "and it left the directory");
    ctx.completeNow();
  }

  /**
   * Answers the features' attach addresses as the feature verticles would; returns what attached.
   */
  private BlockingQueue<String> attachFeatures(Vertx vertx, Path root) {
    AgentCodecs.register(vertx);
    var bus = vertx.eventBus();
    PathResolver paths = new PathResolver(root);
    BlockingQueue<String> attached = new LinkedBlockingQueue<>();
    bus.<AgentMessages.Attach>consumer(
            AgentAddresses.LOCAL_FILES_ATTACH,
            m -> {
              attached.add("files " + m.body().clientId());
              m.reply(new FileSession(new FileService(paths), pool));
            })
        .completion()
        .await();
    bus.<AgentMessages.Attach>consumer(
            AgentAddresses.LOCAL_OUTGOING_ATTACH,
            m -> {
              attached.add("outgoing " + m.body().clientId());
              m.reply(new OutgoingService(vertx, paths, m.body().sink(), m.body().label()));
            })
        .completion()
        .await();
    bus.consumer(
            AgentAddresses.LOCAL_DNS_ATTACH,
            m -> m.reply(new DnsLookups(new DnsResolver(paths), vertx)))
        .completion()
        .await();
    bus.consumer(
            AgentAddresses.LOCAL_ENVIRONMENT_ATTACH,
            m ->
                m.reply(
                    new EnvironmentLookups(
                        new EnvService(Path.of("/proc/self/environ")),
                        new HostnameReader(null),
                        pool)))
        .completion()
        .await();
    return attached;
  }

  /** A server whose connections become session verticles, and a client connected to it. */
  private static AgentClient connect(
      Vertx vertx, IncomingClients incomingClients, BlockingQueue<String> ended) {
    var bus = vertx.eventBus();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  var context = vertx.getOrCreateContext();
                  Session session =
                      new Session(
                          1,
                          socket,
                          context,
                          bus,
                          incomingClients,
                          "test-version",
                          false,
                          () -> ended.add("session-1"));
                  vertx.deployVerticle(new SessionVerticle(session, context, () -> "test over"));
                })
            .listen(0, "127.0.0.1")
            .await();

    return AgentClient.connect(
            vertx, "127.0.0.1", server.actualPort(), new AgentClientOptions().clientName("t"))
        .await();
  }

  @Test
  void aPortSubscribedAgainGetsTheNewFilterInPlace(
      Vertx vertx, VertxTestContext ctx, @TempDir Path root) throws Exception {
    attachFeatures(vertx, root);
    var bus = vertx.eventBus();
    BlockingQueue<String> asked = new LinkedBlockingQueue<>();
    bus.<AgentMessages.Subscribe>consumer(
            AgentAddresses.STEAL_SUBSCRIBE,
            m -> {
              asked.add("subscribe " + m.body().port() + " " + m.body().headerFilter());
              m.reply(null);
            })
        .completion()
        .await();
    bus.<AgentMessages.Subscribe>consumer(
            AgentAddresses.STEAL_FILTER,
            m -> {
              asked.add("filter " + m.body().port() + " " + m.body().filter());
              m.reply(null);
            })
        .completion()
        .await();
    AgentClient client = connect(vertx, new IncomingClients(), new LinkedBlockingQueue<>());
    client
        .request(new Incoming.Subscribe(80, Incoming.MODE_STEAL, "x-a: 1", "", false, false))
        .await();
    client
        .request(
            new Incoming.Subscribe(
                80,
                Incoming.MODE_STEAL,
                "",
                "",
                false,
                false,
                new FilterSpec.Method("PUT"),
                10,
                10))
        .await();
    assertEquals("subscribe 80 x-a: 1", asked.poll(10, TimeUnit.SECONDS));
    assertEquals("filter 80 Method[method=PUT]", asked.poll(10, TimeUnit.SECONDS));
    client.close().await();
    ctx.completeNow();
  }
}
