package dev.mirrordj.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.client.AgentClient;
import io.vertx.core.Future;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once, and clients sending garbage do not disturb the others. */
@Timeout(120)
class ConcurrencyTest {

  @Test
  void fiftyClientsAtOnceEachGetTheirOwnAnswers(@TempDir Path dir) throws Exception {
    try (AgentHarness h = new AgentHarness()) {
      AgentWorker w = h.start(null, Duration.ofSeconds(30), Duration.ofSeconds(30));
      List<Path> files = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Path f = dir.resolve("f" + i);
        java.nio.file.Files.writeString(f, "client " + i + " ".repeat(i * 100));
        files.add(f);
        sizes.add(java.nio.file.Files.size(f));
      }
      List<AgentClient> clients = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        clients.add(h.connect(w));
      }
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        AgentClient c = clients.get(i);
        int n = i;
        all.add(
            c.fetchFile(files.get(i).toString())
                .map(
                    b -> {
                      assertEquals("client " + n + " ".repeat(n * 100), b.toString());
                      return null;
                    }));
        all.add(
            c.request(new Files.Stat(files.get(i).toString(), true), Files.StatReply.class)
                .map(
                    s -> {
                      assertEquals((long) sizes.get(n), s.stat().size());
                      return null;
                    }));
        all.add(c.request(new Lookups.GetEnv(List.of("*"), List.of()), Lookups.EnvReply.class));
        all.add(c.ping());
      }
      Future.all(all).await();
    }
  }

  @Test
  void garbageFromOneClientClosesOnlyThatClient() throws Exception {
    try (AgentHarness h = new AgentHarness()) {
      AgentWorker w = h.start(null, Duration.ofSeconds(30), Duration.ofSeconds(30));
      AgentClient good = h.connect(w);
      Random rnd = new Random(99);
      for (int round = 0; round < 20; round++) {
        byte[] junk = new byte[1 + rnd.nextInt(4096)];
        rnd.nextBytes(junk);
        if (round % 4 == 0) {
          // a length just over the cap
          junk[0] = 0;
          junk[1] = 0x10;
          junk[2] = 0;
          junk[3] = 1;
        }
        assertClosedByAgent(w.port(), junk);
        assertTrue(
            good.ping().await() > 0,
            "the well-behaved client is still served after garbage round " + round);
      }
      // a valid hello followed by a truncated body of a known type
      byte[] hello =
          new dev.mirrordj.protocol.Control.Hello(1, 0, "x").toFrame(1).toBuffer().getBytes();
      byte[] bad =
          new io.vertx.core.buffer.Buffer[] {
                io.vertx.core.buffer.Buffer.buffer()
                    .appendInt(8)
                    .appendShort((short) 0x0109)
                    .appendInt(2)
                    .appendShort((short) 1)
              }
              [0].getBytes();
      byte[] both = new byte[hello.length + bad.length];
      System.arraycopy(hello, 0, both, 0, hello.length);
      System.arraycopy(bad, 0, both, hello.length, bad.length);
      assertClosedByAgent(w.port(), both);
      assertTrue(good.ping().await() > 0);
      assertFalse(w.exit().isComplete(), "the agent itself keeps running");
    }
  }

  /** Sends bytes on a raw socket and expects the agent to close it (EOF), not to hang. */
  private static void assertClosedByAgent(int port, byte[] bytes) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(bytes);
        out.flush();
      } catch (java.io.IOException alreadyClosed) {
        return;
      }
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      try {
        while (in.read(buf) >= 0) {
          // drain a GOODBYE or error frame until the agent closes
        }
      } catch (java.net.SocketException reset) {
        // closed with RST: also a close
      }
    }
  }
}
