package dev.mirrordj.verticles.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.layerbridge.LayerLibrary;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy verticle as its neighbours see it: a real program under the real layer listens, and the
 * proxy tells the bus (listen, bind-busy, listener closed, process gone) — the test plays the
 * incoming verticle.
 */
@ExtendWith(VertxExtension.class)
class ProxyVerticleBusTest {

  // the layer server's unix socket needs the native transport, which the injected instance lacks
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aProgramsListenerTravelsAsBusMessages(@TempDir Path work, VertxTestContext test)
      throws Throwable {
    Path pod = Files.createDirectories(work.resolve("pod"));
    Path sessionDir = Files.createDirectories(work.resolve("session"));
    Path library = LayerLibrary.extract(work.resolve("cache"));
    ProxyVerticle proxy =
        new ProxyVerticle(
            ProxySettings.defaults(
                new ProxySettings.LocalFacts(
                    Path.of(System.getProperty("user.home")), work, Path.of("/tmp"), sessionDir)),
            new DirRemoteTarget(vertx, pod),
            sessionDir);
    EventBus bus = vertx.eventBus();
    List<Object> events = new CopyOnWriteArrayList<>();
    bus.<Messages.BindBusy>consumer(
        Addresses.LOCAL_INCOMING_BIND_BUSY,
        m -> {
          events.add(m.body());
          m.reply(true); // "this listener will be subscribed": it may move off the busy port
        });
    bus.<Messages.Listen>consumer(Addresses.LOCAL_INCOMING_LISTEN, m -> events.add(m.body()));
    bus.<Messages.ListenerClosed>consumer(
        Addresses.LOCAL_INCOMING_LISTENER_CLOSED, m -> events.add(m.body()));
    var gone = test.checkpoint();
    bus.<Messages.ProcessGone>consumer(
        Addresses.LOCAL_LAYER_PROCESS_GONE,
        m -> {
          events.add(m.body());
          gone.flag();
        });
    vertx.deployVerticle(proxy).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = busy.getLocalPort();
      ProcessBuilder pb =
          new ProcessBuilder(
                  "/usr/bin/python3",
                  "-c",
                  "import os, socket\n"
                      + "s = socket.socket()\n"
                      + "s.bind(('127.0.0.1', "
                      + port
                      + "))\n"
                      + "s.listen()\n"
                      + "print(os.getpid(), s.getsockname()[1], flush=True)\n"
                      + "s.close()\n")
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      Map<String, String> env = pb.environment();
      env.put("LD_PRELOAD", library.toString());
      env.put("MIRRORD_LAYER_SOCK", proxy.socketPath().toString());
      env.put("MIRRORD_LAYER_TMP", sessionDir.toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
      assertEquals(0, p.exitValue(), out);
      String[] fields = out.split(" ");
      int pid = Integer.parseInt(fields[0]);
      assertEquals(port, Integer.parseInt(fields[1]), "the program sees the port it asked for");

      assertTrue(test.awaitCompletion(30, TimeUnit.SECONDS), "no process-gone: " + events);
      if (test.failed()) throw test.causeOfFailure();
      assertEquals(4, events.size(), events.toString());
      Messages.BindBusy bindBusy = (Messages.BindBusy) events.get(0);
      assertEquals(port, bindBusy.requested().port());
      Messages.Listen listen = (Messages.Listen) events.get(1);
      assertEquals(pid, listen.pid());
      assertEquals(port, listen.requestedPort());
      assertNotEquals(port, listen.bound().port(), "moved off the busy port");
      assertEquals(
          new Messages.ListenerClosed(pid, listen.bound()), events.get(2), events.toString());
      assertEquals(new Messages.ProcessGone(pid), events.get(3));
    }
  }
}
