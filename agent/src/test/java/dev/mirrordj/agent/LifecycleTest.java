package dev.mirrordj.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.client.AgentLostException;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import io.vertx.core.Future;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When the agent ends: first-client timeout, idle-ttl after the last client, target death. */
@Timeout(60)
class LifecycleTest {

  @Test
  void exitsWhenNoClientArrivesWithinCommunicationTimeout() {
    try (AgentHarness h = new AgentHarness()) {
      AgentWorker w = h.start(null, Duration.ofSeconds(1), Duration.ZERO);
      AgentExit exit = w.exit().await();
      assertEquals(AgentExit.Reason.NO_FIRST_CLIENT, exit.reason());
      assertEquals(1, exit.reason().exitCode());
    }
  }

  @Test
  void exitsWhenLastClientLeavesWithZeroIdleTtl() {
    try (AgentHarness h = new AgentHarness()) {
      AgentWorker w = h.start(null, Duration.ofSeconds(30), Duration.ZERO);
      AgentClient a = h.connect(w);
      AgentClient b = h.connect(w);
      a.close().await();
      assertTrue(b.ping().await() > 0, "one client left, the other is still served");
      assertFalse(w.exit().isComplete());
      b.close().await();
      assertEquals(AgentExit.Reason.IDLE, w.exit().await().reason());
    }
  }

  @Test
  void aConnectionThatNeverBecomesAClientDoesNotEndTheAgent() throws Exception {
    // a port probe, a scanner, or a peer without the secret: its leaving is not "the last client
    // left", whatever the idle-ttl; the agent keeps waiting for its client
    SharedSecret secret = SharedSecret.generate();
    try (AgentHarness h = new AgentHarness()) {
      AgentWorker w =
          h.start(
              new AgentOptions(
                  "127.0.0.1",
                  0,
                  Duration.ofSeconds(30),
                  Duration.ZERO,
                  null,
                  "test",
                  List.of(),
                  secret));
      try (Socket probe = new Socket("127.0.0.1", w.port())) {
        probe.getOutputStream().write(new byte[] {0, 0}); // not even a frame
      }
      Throwable refused =
          AgentClient.connect(h.clientVertx, "127.0.0.1", w.port(), new AgentClientOptions())
              .transform(ar -> Future.succeededFuture(ar.cause()))
              .await(10, TimeUnit.SECONDS);
      assertInstanceOf(RemoteErrnoException.class, refused);
      Thread.sleep(500); // a zero idle-ttl would have ended the agent well within this
      assertFalse(w.exit().isComplete(), "refused and silent connections end nothing");
      AgentClient client =
          AgentClient.connect(
                  h.clientVertx, "127.0.0.1", w.port(), new AgentClientOptions().secret(secret))
              .await(10, TimeUnit.SECONDS);
      assertTrue(client.ping().await() > 0, "the real client is served");
      client.close().await();
      assertEquals(AgentExit.Reason.IDLE, w.exit().await().reason(), "and its leaving counts");
    }
  }

  @Test
  void exitsWhenTargetDiesAndClientsHearAboutIt() throws Exception {
    RootOnly.require();
    Process target = new ProcessBuilder("sleep", "600").start();
    try (AgentHarness h = new AgentHarness()) {
      AgentWorker w = h.start(target.pid(), Duration.ofSeconds(30), Duration.ofSeconds(30));
      AgentClient c = h.connect(w);
      assertTrue(c.ping().await() > 0);
      target.destroy();
      assertTrue(target.waitFor(10, TimeUnit.SECONDS));
      AgentExit exit = w.exit().await();
      assertEquals(AgentExit.Reason.TARGET_EXITED, exit.reason());
      assertTrue(exit.detail().contains("pid " + target.pid()), exit.detail());
      w.close();
      Throwable lost = c.lost().otherwiseEmpty().failed() ? c.lost().cause() : awaitLost(c);
      assertInstanceOf(AgentLostException.class, lost);
      assertThrows(
          AgentLostException.class, () -> c.ping().await(), "later requests fail loudly too");
    } finally {
      target.destroyForcibly();
    }
  }

  private static Throwable awaitLost(AgentClient c) {
    try {
      c.lost().await();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  @Test
  void refusesAPidThatDoesNotExist() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Target.ofPid(Integer.MAX_VALUE - 7));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
