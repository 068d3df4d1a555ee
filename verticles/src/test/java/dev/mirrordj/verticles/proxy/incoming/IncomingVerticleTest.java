package dev.mirrordj.verticles.proxy.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The incoming verticle alone: the test sends the proxy's listener events and plays the agent link
 * on its subscribe / unsubscribe addresses.
 */
@ExtendWith(VertxExtension.class)
class IncomingVerticleTest {
  private static final int PID = 4242;

  private static IncomingSettings settings(IncomingMode mode) {
    return new IncomingSettings(
        mode, "", "", Set.of(), Map.of(), Optional.empty(), Set.of(9999), false, false);
  }

  private static SockAddr any(int port) throws Exception {
    return SockAddr.inet(InetAddress.getByName("0.0.0.0"), port);
  }

  @Test
  void aListenerIsSubscribedThroughTheAgentLinkAndReleasedWhenItCloses(
      Vertx vertx, VertxTestContext test) throws Exception {
    EventBus bus = vertx.eventBus();
    Checkpoint subscribed = test.checkpoint();
    Checkpoint unsubscribed = test.checkpoint();
    SockAddr bound = any(8080);
    bus.<Messages.IncomingSubscribe>consumer(
        Addresses.AGENT_INCOMING_SUBSCRIBE,
        m -> {
          test.verify(
              () -> {
                Messages.IncomingSubscribe s = m.body();
                assertEquals(8080, s.port());
                assertEquals(Incoming.MODE_MIRROR, s.mode());
                // a wildcard listener is reached over loopback
                assertEquals("127.0.0.1", s.deliverHost());
                assertEquals(8080, s.deliverPort());
              });
          m.reply(null);
          subscribed.flag();
          // a second listener on the same port shares the subscription; closing one keeps it
          bus.send(Addresses.LOCAL_INCOMING_LISTEN, new Messages.Listen(PID + 1, bound, 8080));
          bus.send(
              Addresses.LOCAL_INCOMING_LISTENER_CLOSED, new Messages.ListenerClosed(PID, bound));
          bus.publish(Addresses.LOCAL_LAYER_PROCESS_GONE, new Messages.ProcessGone(PID + 1));
        });
    bus.<Messages.IncomingUnsubscribe>consumer(
        Addresses.AGENT_INCOMING_UNSUBSCRIBE,
        m -> {
          test.verify(() -> assertEquals(8080, m.body().port()));
          m.reply(null);
          unsubscribed.flag();
        });
    vertx
        .deployVerticle(new IncomingVerticle(settings(IncomingMode.MIRROR), Map.of()))
        .onComplete(
            test.succeeding(
                id ->
                    bus.send(
                        Addresses.LOCAL_INCOMING_LISTEN, new Messages.Listen(PID, bound, 8080))));
  }

  @Test
  void bindBusyIsAnsweredFromTheSubscriptionPlan(Vertx vertx, VertxTestContext test)
      throws Exception {
    EventBus bus = vertx.eventBus();
    SockAddr subscribedPort = any(8080);
    SockAddr ignoredPort = any(9999);
    vertx
        .deployVerticle(new IncomingVerticle(settings(IncomingMode.STEAL), Map.of()))
        .compose(
            id ->
                Future.all(
                    bus.<Boolean>request(
                        Addresses.LOCAL_INCOMING_BIND_BUSY, new Messages.BindBusy(subscribedPort)),
                    bus.<Boolean>request(
                        Addresses.LOCAL_INCOMING_BIND_BUSY, new Messages.BindBusy(ignoredPort))))
        .onComplete(
            test.succeeding(
                all ->
                    test.verify(
                        () -> {
                          assertEquals(
                              Boolean.TRUE,
                              all.<io.vertx.core.eventbus.Message<Boolean>>resultAt(0).body());
                          assertEquals(
                              Boolean.FALSE,
                              all.<io.vertx.core.eventbus.Message<Boolean>>resultAt(1).body());
                          test.completeNow();
                        })));
  }

  @Test
  void aFilterTreeAndBodyLimitsReachTheAgentLink(Vertx vertx, VertxTestContext test)
      throws Exception {
    var tree =
        new FilterSpec.AnyOf(
            List.of(new FilterSpec.Method("DELETE"), new FilterSpec.JsonBody("$.id", "^7$")));
    var filtered =
        new IncomingSettings(
            IncomingMode.STEAL,
            "",
            "",
            Set.of(8080),
            Map.of(),
            Optional.empty(),
            Set.of(),
            false,
            false,
            tree,
            2048,
            300);
    vertx
        .eventBus()
        .<Messages.IncomingSubscribe>consumer(
            Addresses.AGENT_INCOMING_SUBSCRIBE,
            m -> {
              test.verify(
                  () -> {
                    Incoming.Subscribe s = m.body().asProtocol();
                    assertEquals(Incoming.MODE_STEAL, s.mode());
                    assertEquals(tree, s.filter());
                    assertEquals(2048, s.maxBodyBytes());
                    assertEquals(300, s.bodyTimeoutMillis());
                  });
              m.reply(null);
              test.completeNow();
            });
    SockAddr bound = any(8080);
    vertx
        .deployVerticle(new IncomingVerticle(filtered, Map.of()))
        .onComplete(
            test.succeeding(
                id ->
                    vertx
                        .eventBus()
                        .send(
                            Addresses.LOCAL_INCOMING_LISTEN,
                            new Messages.Listen(PID, bound, 8080))));
  }

  @Test
  void listenIsAnsweredOnceTheAgentSettledTheSubscription(Vertx vertx, VertxTestContext test)
      throws Exception {
    EventBus bus = vertx.eventBus();
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    bus.<Messages.IncomingSubscribe>consumer(
        Addresses.AGENT_INCOMING_SUBSCRIBE,
        m ->
            // the agent takes its time (the first steal starts its listener and rules)
            vertx.setTimer(
                200,
                t -> {
                  events.add("agent subscribed " + m.body().port());
                  m.reply(null);
                }));
    SockAddr bound = any(8080);
    vertx
        .deployVerticle(new IncomingVerticle(settings(IncomingMode.STEAL), Map.of()))
        .compose(
            id ->
                Future.all(
                    bus.request(
                            Addresses.LOCAL_INCOMING_LISTEN, new Messages.Listen(PID, bound, 8080))
                        .onSuccess(r -> events.add("listen answered")),
                    // a second listener of the same port waits for the same subscription
                    bus.request(
                            Addresses.LOCAL_INCOMING_LISTEN,
                            new Messages.Listen(PID + 1, bound, 8080))
                        .onSuccess(r -> events.add("listen answered"))))
        .onComplete(
            test.succeeding(
                all ->
                    test.verify(
                        () -> {
                          assertEquals(
                              java.util.List.of(
                                  "agent subscribed 8080", "listen answered", "listen answered"),
                              events);
                          test.completeNow();
                        })));
  }

  @Test
  void aRefusedSubscriptionIsToldToTheUser(Vertx vertx, VertxTestContext test) throws Exception {
    EventBus bus = vertx.eventBus();
    bus.<Messages.IncomingSubscribe>consumer(
        Addresses.AGENT_INCOMING_SUBSCRIBE,
        m -> m.fail(500, "port 8080 is locked by another user"));
    bus.<Messages.UserNotice>consumer(
        Addresses.LOCAL_USER_NOTICE,
        m ->
            test.verify(
                () -> {
                  String line = m.body().line();
                  assertTrue(
                      line.startsWith("mirrord: warning: stealing remote port 8080 failed"), line);
                  assertTrue(line.contains("port 8080 is locked by another user"), line);
                  assertTrue(line.contains("local port 8080 gets no remote traffic"), line);
                  test.completeNow();
                }));
    SockAddr bound = any(8080);
    vertx
        .deployVerticle(new IncomingVerticle(settings(IncomingMode.STEAL), Map.of()))
        .onComplete(
            test.succeeding(
                id ->
                    bus.send(
                        Addresses.LOCAL_INCOMING_LISTEN, new Messages.Listen(PID, bound, 8080))));
  }

  @Test
  void listenPortsAreHandedToTheProxy(Vertx vertx, VertxTestContext test) {
    Checkpoint told = test.checkpoint();
    vertx
        .eventBus()
        .<Messages.ListenPorts>consumer(
            Addresses.LOCAL_PROXY_LISTEN_PORTS,
            m -> {
              test.verify(() -> assertEquals(Map.of(80, 8080), m.body().requestedToLocal()));
              m.reply(null);
              told.flag();
            });
    vertx
        .deployVerticle(new IncomingVerticle(settings(IncomingMode.MIRROR), Map.of(80, 8080)))
        .onComplete(test.succeedingThenComplete());
  }
}
