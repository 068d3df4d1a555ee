package dev.mirrordj.verticles.proxy.remote;

import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.FileStat;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.OutgoingStream;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link RemoteTarget} over the agent protocol ({@link AgentClient}): the one agent connection
 * every layer of the session shares. Agent errors become {@link RemoteErrno}; a lost agent fails
 * with the protocol's {@link dev.mirrordj.protocol.client.AgentLostException} as it is.
 */
public final class AgentRemoteTarget implements RemoteTarget {
  private static final int WRITE_CHUNK = 512 * 1024;
  private static final int DIR_BATCH = 512;
  private static final int DT_LNK = 10;

  private final AgentClient client;
  private final int readBuffer;

  public AgentRemoteTarget(AgentClient client) {
    this(client, 0);
  }

  private AgentRemoteTarget(AgentClient client, int readBuffer) {
    this.client = client;
    this.readBuffer = readBuffer;
  }

  /** Remote files come in chunks of {@code bytes} (the agent keeps each within one frame). */
  @Override
  public RemoteTarget withReadBuffer(long bytes) {
    return new AgentRemoteTarget(client, (int) Math.min(bytes, Integer.MAX_VALUE));
  }

  private <T extends Message> Future<T> call(Message m, Class<T> reply) {
    return mapErrors(client.request(m, reply));
  }

  private static <T> Future<T> mapErrors(Future<T> f) {
    return f.recover(
        e -> {
          if (e instanceof RemoteErrnoException re)
            return Future.failedFuture(new RemoteErrno(re.errno(), re.getMessage()));
          return Future.failedFuture(e);
        });
  }

  private Future<Void> ok(Message m) {
    return mapErrors(client.request(m)).mapEmpty();
  }

  static FileMeta meta(FileStat s) {
    return new FileMeta(
        s.dev(),
        s.ino(),
        s.nlink(),
        s.mode(),
        s.uid(),
        s.gid(),
        s.size(),
        s.blksize(),
        s.blocks(),
        s.atimeSec(),
        s.atimeNsec(),
        s.mtimeSec(),
        s.mtimeNsec(),
        s.ctimeSec(),
        s.ctimeNsec());
  }

  @Override
  public Future<byte[]> readContent(String path) {
    return mapErrors(client.fetchFile(path, readBuffer)).map(Buffer::getBytes);
  }

  @Override
  public Future<FileMeta> stat(String path, boolean followLinks) {
    return call(new Files.Stat(path, followLinks), Files.StatReply.class).map(r -> meta(r.stat()));
  }

  @Override
  public Future<dev.mirrordj.protocol.FsStat> statfs(String path) {
    return call(new Files.StatFs(path), Files.FsStatReply.class).map(Files.FsStatReply::stat);
  }

  @Override
  public Future<List<DirEntry>> listDir(String path) {
    return call(new Files.OpenDir(path), Files.HandleReply.class)
        .compose(
            h -> {
              List<DirEntry> out = new ArrayList<>();
              return readAll(h.fd(), path, out)
                  .eventually(() -> ok(new Files.Close(h.fd())))
                  .map(v -> out);
            });
  }

  private Future<Void> readAll(long fd, String dir, List<DirEntry> out) {
    return call(new Files.ReadDir(fd, DIR_BATCH), Files.DirEntriesReply.class)
        .compose(
            batch -> {
              if (batch.entries().isEmpty()) return Future.succeededFuture();
              List<Future<DirEntry>> entries = new ArrayList<>();
              for (Files.DirEntry e : batch.entries()) {
                if (e.name().equals(".") || e.name().equals("..")) continue;
                if (e.kind() == DT_LNK) {
                  String child = dir.endsWith("/") ? dir + e.name() : dir + "/" + e.name();
                  entries.add(
                      readlink(child).otherwise("").map(t -> new DirEntry(e.name(), e.kind(), t)));
                } else {
                  entries.add(Future.succeededFuture(new DirEntry(e.name(), e.kind(), "")));
                }
              }
              return Future.all(entries)
                  .compose(
                      all -> {
                        for (int i = 0; i < entries.size(); i++) out.add(all.resultAt(i));
                        return readAll(fd, dir, out);
                      });
            });
  }

  @Override
  public Future<Void> writeFile(String path, byte[] content) {
    return call(
            new Files.Open(path, Errno.O_WRONLY | Errno.O_CREAT | Errno.O_TRUNC, 0644),
            Files.HandleReply.class)
        .compose(h -> writeFrom(h.fd(), content, 0).eventually(() -> ok(new Files.Close(h.fd()))));
  }

  private Future<Void> writeFrom(long fd, byte[] content, int offset) {
    if (offset >= content.length) return Future.succeededFuture();
    int n = Math.min(WRITE_CHUNK, content.length - offset);
    return call(
            new Files.Pwrite(fd, offset, Buffer.buffer().appendBytes(content, offset, n)),
            Files.CountReply.class)
        .compose(c -> writeFrom(fd, content, offset + (int) Math.max(1, c.count())));
  }

  @Override
  public Future<Void> mkdir(String path, int mode) {
    return ok(new Files.Mkdir(path, mode));
  }

  @Override
  public Future<Void> rmdir(String path) {
    return ok(new Files.Rmdir(path));
  }

  @Override
  public Future<Void> unlink(String path) {
    return ok(new Files.Unlink(path));
  }

  @Override
  public Future<Void> rename(String from, String to) {
    return ok(new Files.Rename(from, to));
  }

  @Override
  public Future<Void> truncate(String path, long length) {
    return ok(new Files.Truncate(path, length));
  }

  @Override
  public Future<String> readlink(String path) {
    return call(new Files.ReadLink(path), Files.PathReply.class).map(Files.PathReply::path);
  }

  @Override
  public Future<List<InetAddress>> resolve(String name) {
    return call(new Lookups.Resolve(name, 0, 1), Lookups.AddrInfoReply.class)
        .compose(
            r -> {
              if (r.status() == Errno.EAI_NONAME)
                return Future.succeededFuture(List.<InetAddress>of());
              if (r.status() != Lookups.EAI_OK) {
                return Future.failedFuture(
                    new RemoteErrno(Errno.EIO, "resolving " + name + ": status " + r.status()));
              }
              Set<InetAddress> out = new LinkedHashSet<>();
              for (Lookups.AddrRecord a : r.records()) {
                try {
                  out.add(InetAddress.getByAddress(a.address()));
                } catch (UnknownHostException e) {
                  // length is checked by the codec
                }
              }
              return Future.succeededFuture(List.copyOf(out));
            });
  }

  @Override
  public Future<String> hostname() {
    return call(new Lookups.GetHostname(), Lookups.NameReply.class).map(Lookups.NameReply::name);
  }

  @Override
  public Future<RemoteConnection> connectStream(SockAddr target) {
    int kind = target.isInet() ? Net.KIND_TCP : Net.KIND_UNIX;
    String host = target.isInet() ? target.inetAddress().getHostAddress() : target.unixPath();
    return mapErrors(client.connect(kind, host, target.port())).map(StreamConnection::new);
  }

  @Override
  public io.vertx.core.Context streamContext() {
    return client.context();
  }

  @Override
  public Future<RemoteConnection> openDatagram(SockAddr target) {
    return mapErrors(
            client.connect(Net.KIND_UDP, target.inetAddress().getHostAddress(), target.port()))
        .map(StreamConnection::new);
  }

  @Override
  public Future<Void> lost() {
    return mapErrors(client.lost());
  }

  /**
   * An agent-side stream seen as a {@link RemoteConnection}; a zero-length write half-closes. The
   * remote's FIN reaches the end handler after all its data; a close (also a lost agent) reaches it
   * too if the FIN did not, then the close handler with its errno. A close with an errno (a reset)
   * skips the end handler when a close handler is set, so it is relayed as a reset alone.
   */
  private static final class StreamConnection implements RemoteConnection {
    private final OutgoingStream s;
    private Handler<Void> end = v -> {};
    private Handler<Integer> closed = errno -> {};
    private boolean closeWatched;
    private boolean ended;

    StreamConnection(OutgoingStream s) {
      this.s = s;
      s.endHandler(v -> ended());
      s.closeHandler(
          errno -> {
            if (errno != 0 && closeWatched) {
              // a reset is not an orderly end: whoever watches the close turns it into a reset,
              // and a FIN sent first would let the peer read an EOF before the RST
              ended = true;
            } else {
              ended();
            }
            closed.handle(errno);
          });
    }

    private void ended() {
      if (!ended) {
        ended = true;
        end.handle(null);
      }
    }

    @Override
    public RemoteConnection closeHandler(Handler<Integer> h) {
      closed = h;
      closeWatched = true;
      return this;
    }

    @Override
    public void reset() {
      s.reset();
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (data.length() == 0) {
        s.shutdown();
        return Future.succeededFuture();
      }
      return s.write(data);
    }

    @Override
    public boolean writeQueueFull() {
      return s.writeQueueFull();
    }

    @Override
    public RemoteConnection drainHandler(Handler<Void> h) {
      s.drainHandler(h);
      return this;
    }

    @Override
    public RemoteConnection pause() {
      s.pause();
      return this;
    }

    @Override
    public RemoteConnection resume() {
      s.resume();
      return this;
    }

    @Override
    public RemoteConnection handler(Handler<Buffer> h) {
      s.handler(h);
      return this;
    }

    @Override
    public RemoteConnection endHandler(Handler<Void> h) {
      end = h;
      return this;
    }

    @Override
    public void close() {
      s.close();
    }

    @Override
    public SockAddr localAddress() {
      var info = s.info();
      if (info == null || info.localHost() == null || info.localHost().isEmpty()) return null;
      String host = info.localHost();
      // the agent reports a numeric address; only literals are parsed, so this never does a DNS
      // lookup
      if (!host.contains(":") && !host.matches("[0-9.]+")) return null;
      try {
        return SockAddr.inet(java.net.InetAddress.getByName(host), info.localPort());
      } catch (java.net.UnknownHostException e) {
        return null;
      }
    }
  }
}
