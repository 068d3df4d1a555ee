package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import io.vertx.core.Future;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * feature.network.incoming.listen_ports in the layer: a program binding a mapped port really binds
 * the local port, sees the requested one in getsockname, and reports both in its Listen request.
 */
class ListenPortsUnderLayerTest {
  @TempDir static Path work;
  static LayerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new LayerHarness(work);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
  }

  /** Answers Hello with listen reporting on and the given mapping; records Listen requests. */
  static final class ListenHandler implements LayerRequestHandler {
    final Map<Integer, Integer> mapping;
    final List<LayerRequest.Listen> listens = new CopyOnWriteArrayList<>();
    final List<LayerRequest.BindBusy> busy = new CopyOnWriteArrayList<>();
    volatile boolean subscribes;

    ListenHandler(Map<Integer, Integer> mapping) {
      this.mapping = mapping;
    }

    @Override
    public Future<LayerReply> handle(LayerPeer peer, LayerRequest request) {
      if (request instanceof LayerRequest.Hello) {
        return Future.succeededFuture(
            new LayerReply.Hello(LayerReply.Hello.LISTEN, List.of("/"), List.of(), mapping));
      }
      if (request instanceof LayerRequest.Listen l) listens.add(l);
      if (request instanceof LayerRequest.BindBusy b) {
        busy.add(b);
        return Future.succeededFuture(subscribes ? LayerReply.OK : LayerReply.LOCAL);
      }
      return Future.succeededFuture(LayerReply.OK);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void mappedPortIsBoundLocallyAndShownAsRequested() throws Exception {
    int requested = freePort();
    int local = freePort();
    int unmapped = freePort();
    ListenHandler handler = new ListenHandler(Map.of(requested, local));
    // the real bound port is read from /proc/net/tcp, which the layer does not touch
    String script =
        "import socket\n"
            + "def real_ports():\n"
            + "    out = set()\n"
            + "    for line in open('/proc/net/tcp').read().splitlines()[1:]:\n"
            + "        f = line.split()\n"
            + "        if f[3] == '0A': out.add(int(f[1].split(':')[1], 16))\n"
            + "    return out\n"
            + "s = socket.socket()\n"
            + "s.bind(('127.0.0.1', "
            + requested
            + "))\n"
            + "s.listen()\n"
            + "u = socket.socket()\n"
            + "u.bind(('127.0.0.1', "
            + unmapped
            + "))\n"
            + "u.listen()\n"
            + "p = real_ports()\n"
            + "print('name=%d' % s.getsockname()[1])\n"
            + "print('local=%s requested=%s' % ("
            + local
            + " in p, "
            + requested
            + " in p))\n"
            + "print('unmapped=%d %s' % (u.getsockname()[1], "
            + unmapped
            + " in p))\n"
            + "c = socket.create_connection(('127.0.0.1', "
            + local
            + "))\n"
            + "a, _ = s.accept()\n"
            + "c.sendall(b'hi')\n"
            + "print('got=' + a.recv(2).decode())\n";
    LayerHarness.Result r;
    try (LayerHarness.Swap ignored = h.swapHandler(handler)) {
      r = h.run(List.of("/usr/bin/python3", "-c", script));
    }
    assertEquals(
        List.of(
            "name=" + requested,
            "local=True requested=False",
            "unmapped=" + unmapped + " True",
            "got=hi"),
        r.lines(),
        r.stderr());
    assertEquals(2, handler.listens.size(), handler.listens.toString());
    LayerRequest.Listen mapped = handler.listens.get(0);
    assertEquals(local, mapped.address().port());
    assertEquals(requested, mapped.requestedPort());
    LayerRequest.Listen plain = handler.listens.get(1);
    assertEquals(unmapped, plain.address().port());
    assertEquals(unmapped, plain.requestedPort());
    assertTrue(r.exit() == 0, r.stderr());
  }

  @Test
  void busyPortMovesToARandomPortOnlyWhenTheProxySubscribesIt() throws Exception {
    try (ServerSocket occupied =
        new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = occupied.getLocalPort();
      String script =
          "import socket, errno\n"
              + "s = socket.socket()\n"
              + "try:\n"
              + "    s.bind(('127.0.0.1', "
              + port
              + "))\n"
              + "except OSError as e:\n"
              + "    print('error=' + errno.errorcode[e.errno]); raise SystemExit(0)\n"
              + "s.listen()\n"
              + "print('name=%d' % s.getsockname()[1])\n";
      ListenHandler refuse = new ListenHandler(Map.of());
      LayerHarness.Result r;
      try (LayerHarness.Swap ignored = h.swapHandler(refuse)) {
        r = h.run(List.of("/usr/bin/python3", "-c", script));
      }
      assertEquals(List.of("error=EADDRINUSE"), r.lines(), r.stderr());
      assertEquals(1, refuse.busy.size());
      assertEquals(port, refuse.busy.get(0).requested().port());

      ListenHandler subscribe = new ListenHandler(Map.of());
      subscribe.subscribes = true;
      try (LayerHarness.Swap ignored = h.swapHandler(subscribe)) {
        r = h.run(List.of("/usr/bin/python3", "-c", script));
      }
      assertEquals(List.of("name=" + port), r.lines(), r.stderr());
      assertEquals(1, subscribe.listens.size(), subscribe.listens.toString());
      LayerRequest.Listen l = subscribe.listens.get(0);
      assertEquals(port, l.requestedPort());
      assertTrue(
          l.address().port() != port && l.address().port() != 0, "really bound elsewhere: " + l);
    }
  }
}
