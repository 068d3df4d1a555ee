package dev.mirrordj.verticles.proxy.remote;

import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.SockAddr;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;

/**
 * What the proxy needs from the pod: the operations the agent performs in the target's mount and
 * network namespaces. Failures are {@link RemoteErrno} (the pod's answer) or {@link
 * dev.mirrordj.protocol.client.AgentLostException} (no answer will ever come). One instance is
 * shared by every layer.
 */
public interface RemoteTarget {

  /**
   * A whole remote file's bytes (metadata comes from {@link #stat}; the proxy asks both at once).
   */
  Future<byte[]> readContent(String path);

  /**
   * This target fetching remote files in pieces of {@code bytes} (feature.fs.readonly_file_buffer);
   * targets that do not fetch in pieces return themselves.
   */
  default RemoteTarget withReadBuffer(long bytes) {
    return this;
  }

  Future<FileMeta> stat(String path, boolean followLinks);

  /** statfs of the pod's filesystem holding {@code path}; targets without one answer ENOSYS. */
  default Future<dev.mirrordj.protocol.FsStat> statfs(String path) {
    return Future.failedFuture(
        new RemoteErrno(dev.mirrordj.protocol.Errno.ENOSYS, "statfs is not available for " + path));
  }

  Future<List<DirEntry>> listDir(String path);

  /** Creates or replaces the file's content. */
  Future<Void> writeFile(String path, byte[] content);

  Future<Void> mkdir(String path, int mode);

  Future<Void> rmdir(String path);

  Future<Void> unlink(String path);

  Future<Void> rename(String from, String to);

  Future<Void> truncate(String path, long length);

  Future<String> readlink(String path);

  /** Resolves with the pod's resolver (its resolv.conf and hosts). Empty list: name not found. */
  Future<List<InetAddress>> resolve(String name);

  Future<String> hostname();

  /** Opens a stream (TCP or unix) from the pod to the target. */
  Future<RemoteConnection> connectStream(SockAddr target);

  /**
   * The Vert.x context the streams' data handlers run on, or null if it does not matter. A local
   * socket relayed to such a stream is best served on the same context: every chunk then goes from
   * one socket to the other on one thread, with no hand-over between event loops (under load each
   * hand-over waits for the other loop's thread to be scheduled, and the agent's credit round trip
   * is made of several of them).
   */
  default io.vertx.core.Context streamContext() {
    return null;
  }

  /** Opens a UDP flow from the pod to the target. */
  Future<RemoteConnection> openDatagram(SockAddr target);

  /** Completes (with the reason) when the agent connection is lost. */
  Future<Void> lost();
}
