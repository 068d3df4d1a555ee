package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Outgoing connections: the program's own socket (a pidfd_getfd copy of it) is connected to the
 * proxy's interceptor when the policy says the destination is in the pod, so options set on it
 * survive and a non-blocking connect stays non-blocking (EINPROGRESS comes back as the program's
 * own answer). getpeername then shows the address the program asked for.
 */
final class SocketCalls {
  private static final int MAX_SOCKADDR = 128;
  private static final int ECONNREFUSED = 111;

  private final SupervisedCalls calls;
  private final Executor workers;

  /** Redirected sockets by inode: the sockaddr the program connected to. */
  private final Map<String, byte[]> peers = new ConcurrentHashMap<>();

  SocketCalls(SupervisedCalls calls, Executor workers) {
    this.calls = calls;
    this.workers = workers;
  }

  void connect(Listener l, Notification n) throws SupervisorException {
    int fd = n.intArg(0);
    int len = (int) Math.min(MAX_SOCKADDR, n.args()[2]);
    byte[] sa = TargetProcess.readBytes(n.tid(), n.args()[1], len);
    SockAddr target = SockAddrCodec.decode(sa);
    String socket = TargetProcess.fdTarget(n.tid(), fd);
    if (socket != null) peers.remove(socket);
    if (target == null) {
      l.proceed(n.id());
      return;
    }
    int pid = TargetProcess.tgid(n.tid());
    int copy = TargetProcess.duplicate(pid, fd);
    int type;
    boolean nonBlocking;
    try {
      type = SocketOptions.intOption(copy, Libc.SO_TYPE);
      nonBlocking = (Libc.fcntl(copy, Libc.F_GETFL, 0) & Libc.O_NONBLOCK) != 0;
    } catch (LastErrorException e) {
      TargetProcess.closeQuietly(copy);
      throw new SupervisorException(e.getErrorCode(), "inspect socket " + fd);
    }
    if (type != Libc.SOCK_STREAM && type != Libc.SOCK_DGRAM) {
      TargetProcess.closeQuietly(copy);
      l.proceed(n.id());
      return;
    }
    LayerRequest.SockType kind =
        type == Libc.SOCK_STREAM ? LayerRequest.SockType.STREAM : LayerRequest.SockType.DGRAM;
    Reply.when(
        // the copy is closed by the action, so the action must run whatever the answer
        calls
            .handle(pid, new LayerRequest.Connect(kind, target, nonBlocking))
            .recover(e -> io.vertx.core.Future.succeededFuture(LayerReply.errno(ECONNREFUSED))),
        workers,
        l,
        n,
        r -> {
          try {
            if (Reply.common(l, n, r)) return;
            if (!(r instanceof LayerReply.Redirect redirect))
              throw new SupervisorException(5, "unexpected answer to connect: " + r);
            byte[] to = SockAddrCodec.encode(redirect.interceptor(), SockAddrCodec.family(sa));
            int result = 0;
            try (Memory m = new Memory(to.length)) {
              m.write(0, to, 0, to.length);
              Libc.connect(copy, m, to.length);
            } catch (LastErrorException e) {
              result = e.getErrorCode();
            }
            if (result == 0 || result == Libc.EINPROGRESS) {
              if (socket != null) peers.put(socket, sa);
            }
            if (result == 0) l.returnValue(n.id(), 0);
            else l.fail(n.id(), result);
          } finally {
            TargetProcess.closeQuietly(copy);
          }
        });
  }

  /** getpeername of a redirected socket: the address the program connected to. */
  void peerName(Listener l, Notification n) throws SupervisorException {
    String socket = TargetProcess.fdTarget(n.tid(), n.intArg(0));
    byte[] sa = socket == null ? null : peers.get(socket);
    if (sa == null) {
      l.proceed(n.id());
      return;
    }
    writeAddress(n, sa, n.args()[1], n.args()[2]);
    l.returnValue(n.id(), 0);
  }

  /** Fills a (sockaddr*, socklen_t*) pair the way the kernel does: truncated, real length. */
  static void writeAddress(Notification n, byte[] sa, long addr, long lenPtr)
      throws SupervisorException {
    byte[] lenBytes = TargetProcess.readBytes(n.tid(), lenPtr, 4);
    if (lenBytes.length < 4) throw new SupervisorException(14, "bad socklen_t pointer");
    int room = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (room < 0) throw new SupervisorException(22, "negative socklen_t");
    TargetProcess.write(n.tid(), addr, java.util.Arrays.copyOf(sa, Math.min(room, sa.length)));
    TargetProcess.write(
        n.tid(),
        lenPtr,
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, sa.length).array());
  }
}
