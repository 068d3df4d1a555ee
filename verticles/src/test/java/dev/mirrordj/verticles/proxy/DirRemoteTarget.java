package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.client.AgentLostException;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import dev.mirrordj.verticles.proxy.remote.RemoteErrno;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test stand-in for the agent: the "pod" file system is a directory, names ending in .cluster.test
 * resolve to 127.77.0.10, and pod addresses map to loopback test services. {@link #kill()} makes it
 * behave like a lost agent.
 */
final class DirRemoteTarget implements RemoteTarget {
  static final byte[] CLUSTER_IP = {127, 77, 0, 10};

  private final Vertx vertx;
  private final Path root;
  final Map<String, Integer> tcp = new ConcurrentHashMap<>();
  final Map<String, Integer> udp = new ConcurrentHashMap<>();
  final Map<String, Path> unix = new ConcurrentHashMap<>();
  private final Promise<Void> lost = Promise.promise();
  private volatile boolean dead;

  DirRemoteTarget(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
  }

  void kill() {
    dead = true;
    lost.tryFail(new AgentLostException("connection closed"));
  }

  private Path pod(String path) {
    return root.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  private <T> Future<T> io(Callable<T> work) {
    if (dead) return Future.failedFuture(new AgentLostException("connection closed"));
    try {
      return Future.succeededFuture(work.call());
    } catch (java.nio.file.NoSuchFileException e) {
      return Future.failedFuture(new RemoteErrno(Errno.ENOENT, e.getMessage()));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return Future.failedFuture(new RemoteErrno(Errno.EEXIST, e.getMessage()));
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      return Future.failedFuture(new RemoteErrno(Errno.ENOTEMPTY, e.getMessage()));
    } catch (Exception e) {
      return Future.failedFuture(new RemoteErrno(Errno.EIO, e.toString()));
    }
  }

  static FileMeta meta(Path p, boolean follow) throws IOException {
    LinkOption[] opts = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    Map<String, Object> a = Files.readAttributes(p, "unix:*", opts);
    FileTime at = (FileTime) a.get("lastAccessTime"),
        mt = (FileTime) a.get("lastModifiedTime"),
        ct = (FileTime) a.get("ctime");
    long size = (Long) a.get("size");
    return new FileMeta(
        ((Number) a.get("dev")).longValue(),
        ((Number) a.get("ino")).longValue(),
        ((Number) a.get("nlink")).longValue(),
        (Integer) a.get("mode"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        size,
        4096,
        (size + 511) / 512,
        at.toInstant().getEpochSecond(),
        at.toInstant().getNano(),
        mt.toInstant().getEpochSecond(),
        mt.toInstant().getNano(),
        ct.toInstant().getEpochSecond(),
        ct.toInstant().getNano());
  }

  @Override
  public Future<byte[]> readContent(String path) {
    return io(() -> Files.readAllBytes(pod(path)));
  }

  @Override
  public Future<FileMeta> stat(String path, boolean follow) {
    return io(() -> meta(pod(path), follow));
  }

  @Override
  public Future<Void> writeFile(String path, byte[] content) {
    return io(
        () -> {
          Files.write(pod(path), content);
          return null;
        });
  }

  @Override
  public Future<Void> mkdir(String path, int mode) {
    return io(
        () -> {
          Files.createDirectory(pod(path));
          return null;
        });
  }

  @Override
  public Future<Void> rmdir(String path) {
    return io(
        () -> {
          Files.delete(pod(path));
          return null;
        });
  }

  @Override
  public Future<Void> unlink(String path) {
    return io(
        () -> {
          Files.delete(pod(path));
          return null;
        });
  }

  @Override
  public Future<Void> rename(String a, String b) {
    return io(
        () -> {
          Files.move(pod(a), pod(b));
          return null;
        });
  }

  @Override
  public Future<String> readlink(String path) {
    return io(() -> Files.readSymbolicLink(pod(path)).toString());
  }

  @Override
  public Future<Void> truncate(String path, long len) {
    return io(
        () -> {
          try (var ch =
              java.nio.channels.FileChannel.open(
                  pod(path), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(len);
          }
          return null;
        });
  }

  @Override
  public Future<List<DirEntry>> listDir(String path) {
    return io(
        () -> {
          List<DirEntry> out = new ArrayList<>();
          try (DirectoryStream<Path> ds = Files.newDirectoryStream(pod(path))) {
            for (Path c : ds) {
              int type =
                  Files.isSymbolicLink(c)
                      ? DirEntry.DT_LNK
                      : Files.isDirectory(c) ? DirEntry.DT_DIR : DirEntry.DT_REG;
              out.add(
                  new DirEntry(
                      c.getFileName().toString(),
                      type,
                      type == DirEntry.DT_LNK ? Files.readSymbolicLink(c).toString() : ""));
            }
          }
          return out;
        });
  }

  @Override
  public Future<List<InetAddress>> resolve(String name) {
    return io(
        () ->
            name.endsWith(".cluster.test") || name.equals("test-pod")
                ? List.of(InetAddress.getByAddress(CLUSTER_IP))
                : List.of());
  }

  @Override
  public Future<String> hostname() {
    return io(() -> Files.readString(pod("/etc/hostname")).trim());
  }

  @Override
  public Future<RemoteConnection> connectStream(SockAddr target) {
    if (dead) return Future.failedFuture(new AgentLostException("connection closed"));
    SocketAddress local;
    if (target.isInet()) {
      Integer port = tcp.get(target.inetAddress().getHostAddress() + ":" + target.port());
      if (port == null)
        return Future.failedFuture(new RemoteErrno(Errno.ECONNREFUSED, "nothing at " + target));
      local = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    } else {
      Path p = unix.get(target.unixPath());
      if (p == null)
        return Future.failedFuture(new RemoteErrno(Errno.ENOENT, "no socket " + target));
      local = SocketAddress.domainSocketAddress(p.toString());
    }
    return vertx.createNetClient().connect(local).map(StreamConn::new);
  }

  @Override
  public Future<RemoteConnection> openDatagram(SockAddr target) {
    if (dead) return Future.failedFuture(new AgentLostException("connection closed"));
    Integer port = udp.get(target.inetAddress().getHostAddress() + ":" + target.port());
    if (port == null)
      return Future.failedFuture(new RemoteErrno(Errno.ECONNREFUSED, "nothing at " + target));
    DatagramSocket s = vertx.createDatagramSocket();
    return s.listen(0, "127.0.0.1").map(sock -> new DatagramConn(sock, port));
  }

  @Override
  public Future<Void> lost() {
    return lost.future();
  }

  private static final class StreamConn implements RemoteConnection {
    private final NetSocket sock;

    StreamConn(NetSocket sock) {
      this.sock = sock;
    }

    @Override
    public Future<Void> write(Buffer data) {
      return data.length() == 0 ? Future.succeededFuture() : sock.write(data);
    }

    @Override
    public RemoteConnection handler(Handler<Buffer> h) {
      sock.handler(h);
      return this;
    }

    @Override
    public RemoteConnection endHandler(Handler<Void> h) {
      sock.endHandler(h);
      return this;
    }

    @Override
    public void close() {
      sock.close();
    }
  }

  private static final class DatagramConn implements RemoteConnection {
    private final DatagramSocket sock;
    private final int port;

    DatagramConn(DatagramSocket sock, int port) {
      this.sock = sock;
      this.port = port;
    }

    @Override
    public Future<Void> write(Buffer data) {
      return sock.send(data, port, "127.0.0.1");
    }

    @Override
    public RemoteConnection handler(Handler<Buffer> h) {
      sock.handler(p -> h.handle(p.data()));
      return this;
    }

    @Override
    public RemoteConnection endHandler(Handler<Void> h) {
      return this;
    }

    @Override
    public void close() {
      sock.close();
    }
  }
}
