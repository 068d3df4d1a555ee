package dev.mirrordj.agent.incoming.steal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mirrordj.protocol.net.StreamEnds;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The raw relay on loopback (no root needed): a python echo server behind our splice, a python
 * client sending a megabyte and half-closing; every byte must come back and both sides must end.
 */
class SpliceTest {

  private Vertx vertx;
  private Process echo;

  @BeforeEach
  void start() {
    // epoll, as the agent uses (SO_ORIGINAL_DST needs it); its half-close handling differs from NIO
    vertx = Vertx.builder().withTransport(io.vertx.core.transport.Transport.EPOLL).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (echo != null) {
      echo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMegabyteEchoesBackByteExactAcrossHalfClose() throws Exception {
    int echoPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      echoPort = probe.getLocalPort();
    }
    String script = Path.of(getClass().getResource("/incoming/echo_server.py").toURI()).toString();
    echo =
        new ProcessBuilder("python3", script, String.valueOf(echoPort))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    NetClient client = vertx.createNetClient();
    NetServer relay =
        vertx
            .createNetServer()
            .connectHandler(
                sock -> {
                  sock.pause();
                  StreamEnds fin = StreamEnds.track(sock);
                  Buffer early = Buffer.buffer();
                  fin.handler(early::appendBuffer);
                  sock.resume();
                  // connect late, so the whole request and its FIN are buffered first (the
                  // detection path)
                  vertx.setTimer(
                      300,
                      t ->
                          client
                              .connect(echoPort, "127.0.0.1")
                              .onSuccess(
                                  up -> {
                                    up.pause();
                                    Splice.start(
                                        sock, fin, new NetSocketUpstream(up), early, () -> {});
                                  })
                              .onFailure(e -> sock.close()));
                });
    int relayPort =
        relay
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    awaitPort(echoPort);
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                String.join(
                    "\n",
                    "import socket, os, threading",
                    "data = bytes(range(256)) * 40000 + os.urandom(50000)",
                    "s = socket.create_connection(('127.0.0.1', " + relayPort + "), 10)",
                    "def send():",
                    "    s.sendall(data); s.shutdown(socket.SHUT_WR)",
                    "threading.Thread(target=send).start()",
                    "import time; time.sleep(1)  # let the relay's queues fill so backpressure is exercised",
                    "got = b''",
                    "while True:",
                    "    c = s.recv(65536)",
                    "    if not c: break",
                    "    got += c",
                    "print(got == data, len(got))"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor(30, TimeUnit.SECONDS);
    assertEquals("True 10290000", out);
  }

  private static void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(50);
      }
    }
  }
}
