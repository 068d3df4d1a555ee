package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Incoming traffic under the seccomp layer, the LD_PRELOAD layer's bind/listen/getsockname/close
 * policy done on the program's own socket (a pidfd_getfd copy of it): a listen_ports port or a port
 * busy locally is really bound elsewhere while the program keeps seeing the port it asked for, and
 * the proxy hears of each listener when it starts and when its last descriptor is gone.
 */
final class ListeningSockets {
  private static final int MAX_SOCKADDR = 128;
  private static final int EADDRINUSE = 98;

  private final SupervisedCalls calls;
  private final Executor workers;
  private final ListenerWatch watch;

  /** Sockets bound away from the port they asked for, by inode: the requested sockaddr. */
  private final Map<String, byte[]> requested = new ConcurrentHashMap<>();

  ListeningSockets(SupervisedCalls calls, Executor workers, ListenerWatch watch) {
    this.calls = calls;
    this.workers = workers;
    this.watch = watch;
  }

  /**
   * bind of a TCP socket to a non-zero port while incoming traffic is on: listen_ports moves it to
   * its local port; a busy port moves to a random one when the proxy says the requested port will
   * be subscribed (the developer often runs the same service locally).
   */
  void bind(Listener l, Notification n) throws SupervisorException {
    int fd = n.intArg(0);
    int len = (int) Math.min(MAX_SOCKADDR, n.args()[2]);
    byte[] sa = TargetProcess.readBytes(n.tid(), n.args()[1], len);
    SockAddr target = SockAddrCodec.decode(sa);
    if (target == null || !target.isInet() || target.port() == 0) {
      l.proceed(n.id());
      return;
    }
    String socket = TargetProcess.fdTarget(n.tid(), fd);
    int pid = TargetProcess.tgid(n.tid());
    Future<LayerReply> hello = calls.hello(pid).map(h -> (LayerReply) h);
    Reply.when(
        hello,
        workers,
        l,
        n,
        h -> {
          LayerReply.Hello setup = (LayerReply.Hello) h;
          if (!incomingOn(setup)) {
            l.proceed(n.id());
            return;
          }
          int copy = TargetProcess.duplicate(pid, fd);
          try {
            if (SocketOptions.intOption(copy, Libc.SO_TYPE) != Libc.SOCK_STREAM) {
              l.proceed(n.id());
              return;
            }
            Integer local = setup.listenPorts().get(target.port());
            if (local != null) {
              int result = bindCopy(copy, withPort(sa, local));
              if (result == 0 && socket != null) requested.put(socket, sa);
              answer(l, n, result);
              return;
            }
            int result = bindCopy(copy, sa);
            if (result != EADDRINUSE) {
              answer(l, n, result);
              return;
            }
          } finally {
            TargetProcess.closeQuietly(copy);
          }
          fallBackFromBusyPort(l, n, pid, fd, socket, sa, target);
        });
  }

  private void fallBackFromBusyPort(
      Listener l, Notification n, int pid, int fd, String socket, byte[] sa, SockAddr target) {
    Reply.when(
        calls
            .handle(pid, new LayerRequest.BindBusy(target))
            .recover(e -> Future.succeededFuture(LayerReply.LOCAL)),
        workers,
        l,
        n,
        r -> {
          if (!(r instanceof LayerReply.Ok)) {
            l.fail(n.id(), EADDRINUSE);
            return;
          }
          int copy = TargetProcess.duplicate(pid, fd);
          try {
            int result = bindCopy(copy, withPort(sa, 0));
            if (result == 0 && socket != null) requested.put(socket, sa);
            answer(l, n, result);
          } finally {
            TargetProcess.closeQuietly(copy);
          }
        });
  }

  /**
   * listen: done here on the program's own socket, then reported to the proxy with the address it
   * really listens on and the port it asked for; the call returns once the proxy answered, so
   * remote traffic flows when it returns.
   */
  void listen(Listener l, Notification n) throws SupervisorException {
    int fd = n.intArg(0);
    int pid = TargetProcess.tgid(n.tid());
    String socket = TargetProcess.fdTarget(n.tid(), fd);
    int copy = TargetProcess.duplicate(pid, fd);
    SockAddr local;
    try {
      int domain = SocketOptions.intOption(copy, Libc.SO_DOMAIN);
      if (SocketOptions.intOption(copy, Libc.SO_TYPE) != Libc.SOCK_STREAM
          || (domain != Libc.AF_INET && domain != Libc.AF_INET6)) {
        l.proceed(n.id());
        return;
      }
      try {
        Libc.listen(copy, n.intArg(1));
      } catch (LastErrorException e) {
        l.fail(n.id(), e.getErrorCode());
        return;
      }
      local = SockAddrCodec.decode(localAddress(copy));
    } catch (LastErrorException e) {
      throw new SupervisorException(e.getErrorCode(), "listen on " + fd);
    } finally {
      TargetProcess.closeQuietly(copy);
    }
    if (local == null) {
      l.returnValue(n.id(), 0);
      return;
    }
    byte[] asked = socket == null ? null : requested.get(socket);
    int requestedPort = asked == null ? local.port() : SockAddrCodec.decode(asked).port();
    if (socket != null) watch.track(socket, pid, local, () -> requested.remove(socket));
    // the listener is up whatever the proxy says: the answer only starts delivery
    Reply.when(
        calls
            .handle(pid, new LayerRequest.Listen(local, requestedPort))
            .recover(e -> Future.succeededFuture(LayerReply.OK)),
        workers,
        l,
        n,
        r -> l.returnValue(n.id(), 0));
  }

  /** getsockname of a socket bound elsewhere: the real address with the port it asked for. */
  void sockName(Listener l, Notification n) throws SupervisorException {
    String socket = TargetProcess.fdTarget(n.tid(), n.intArg(0));
    byte[] asked = socket == null ? null : requested.get(socket);
    if (asked == null) {
      l.proceed(n.id());
      return;
    }
    int copy = TargetProcess.duplicate(TargetProcess.tgid(n.tid()), n.intArg(0));
    byte[] real;
    try {
      real = localAddress(copy);
    } catch (LastErrorException e) {
      throw new SupervisorException(e.getErrorCode(), "getsockname");
    } finally {
      TargetProcess.closeQuietly(copy);
    }
    int port = SockAddrCodec.decode(asked).port();
    SocketCalls.writeAddress(n, withPort(real, port), n.args()[1], n.args()[2]);
    l.returnValue(n.id(), 0);
  }

  /** Sockets with a port remembered (tests and diagnostics). */
  Set<String> remapped() {
    return Set.copyOf(requested.keySet());
  }

  private static boolean incomingOn(LayerReply.Hello h) {
    return (h.flags() & LayerReply.Hello.LISTEN) != 0 && (h.flags() & LayerReply.Hello.SKIP) == 0;
  }

  private static void answer(Listener l, Notification n, int errno) {
    if (errno == 0) l.returnValue(n.id(), 0);
    else l.fail(n.id(), errno);
  }

  /** bind(2) on our copy of the program's socket: 0 or the errno. */
  private static int bindCopy(int copy, byte[] sa) {
    try (Memory m = new Memory(sa.length)) {
      m.write(0, sa, 0, sa.length);
      Libc.bind(copy, m, sa.length);
      return 0;
    } catch (LastErrorException e) {
      return e.getErrorCode();
    }
  }

  private static byte[] localAddress(int fd) {
    try (Memory sa = new Memory(MAX_SOCKADDR);
        Memory len = new Memory(4)) {
      len.setInt(0, MAX_SOCKADDR);
      Libc.getsockname(fd, sa, len);
      return sa.getByteArray(0, Math.min(MAX_SOCKADDR, len.getInt(0)));
    }
  }

  /** The same sockaddr_in/in6 with another port (both keep it big-endian at offset 2). */
  static byte[] withPort(byte[] sa, int port) {
    byte[] copy = Arrays.copyOf(sa, sa.length);
    copy[2] = (byte) (port >> 8);
    copy[3] = (byte) port;
    return copy;
  }
}
