package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.verticles.proxy.remote.RemoteErrno;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;

/**
 * Answers the layer's file requests: path mapping and policy first, then the pod (or, for a path
 * that feature.fs.mapping rewrote to a local location, this machine's disk on the layer's behalf).
 */
final class LayerFileRequests {
  private final FsPolicy policy;
  private final RemoteTarget remote;
  private final RemoteTarget mappedLocal = new MappedLocalFiles();
  private final boolean readlink;

  /** Where one path's operation goes: the decision, the (mapped) path and who serves it. */
  private record Where(FsPolicy.Decision decision, String path, RemoteTarget target) {}

  private Where where(String requested, boolean writing) {
    String path = policy.map(requested);
    FsPolicy.Decision d = policy.decide(path, writing);
    if (d == FsPolicy.Decision.LOCAL && !path.equals(requested)) {
      // the layer would use the path it asked about; serve the mapped one here instead
      return new Where(FsPolicy.Decision.REMOTE, path, mappedLocal);
    }
    return new Where(d, path, remote);
  }

  LayerFileRequests(FsPolicy policy, RemoteTarget remote, boolean readlink) {
    this.policy = policy;
    this.remote = remote;
    this.readlink = readlink;
  }

  Future<LayerReply> open(LayerRequest.Open o) {
    boolean writing = o.forWriting();
    Where w = where(o.path(), writing);
    FsPolicy.Decision d = w.decision();
    RemoteTarget remote = w.target();
    String path = w.path();
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    int flags = o.flags();
    boolean create = (flags & Errno.O_CREAT) != 0;
    boolean truncate = writing && (flags & Errno.O_TRUNC) != 0;
    // metadata and bytes are asked at once: one round trip for the common read
    Future<byte[]> content =
        truncate || (flags & Errno.O_DIRECTORY) != 0
            ? Future.succeededFuture(new byte[0])
            : remote.readContent(path);
    return remote
        .stat(path, true)
        .compose(
            meta -> {
              if (meta.isDirectory()) {
                if (writing) return Future.succeededFuture(LayerReply.errno(Errno.EISDIR));
                return remote.listDir(path).map(LayerReply.Directory::new);
              }
              if ((flags & Errno.O_DIRECTORY) != 0)
                return Future.succeededFuture(LayerReply.errno(Errno.ENOTDIR));
              if (create && (flags & Errno.O_EXCL) != 0)
                return Future.succeededFuture(LayerReply.errno(Errno.EEXIST));
              if (truncate)
                return Future.succeededFuture(
                    new LayerReply.FileContent(true, withSize(meta, 0), new byte[0]));
              return content.map(
                  bytes -> (LayerReply) new LayerReply.FileContent(writing, meta, bytes));
            },
            err -> {
              if (writing
                  && create
                  && err instanceof RemoteErrno re
                  && re.errno() == Errno.ENOENT) {
                // O_CREAT creates the file in the pod right away, as the real open would
                return remote
                    .writeFile(path, new byte[0])
                    .compose(v -> remote.stat(path, true))
                    .map(meta -> (LayerReply) new LayerReply.FileContent(true, meta, new byte[0]));
              }
              return Future.failedFuture(err);
            });
  }

  Future<LayerReply> stat(LayerRequest.Stat s) {
    Where w = where(s.path(), false);
    FsPolicy.Decision d = w.decision();
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    return w.target().stat(w.path(), s.followLinks()).map(LayerReply.Meta::new);
  }

  /** statfs/statvfs follow the same policy as stat: the pod's filesystem for a remote path. */
  Future<LayerReply> statfs(LayerRequest.StatFs s) {
    Where w = where(s.path(), false);
    FsPolicy.Decision d = w.decision();
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    return w.target().statfs(w.path()).map(LayerReply.FsStats::new);
  }

  Future<LayerReply> access(LayerRequest.Access a) {
    boolean writeCheck = (a.mode() & 2) != 0;
    Where w = where(a.path(), writeCheck);
    FsPolicy.Decision d = w.decision();
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    return w.target().stat(w.path(), true).map(m -> LayerReply.OK);
  }

  Future<LayerReply> writeBack(LayerRequest.WriteBack w) {
    Where where = where(w.path(), true);
    if (where.decision() != FsPolicy.Decision.REMOTE)
      return Future.succeededFuture(LayerReply.errno(Errno.EROFS));
    return where.target().writeFile(where.path(), w.content()).map(v -> LayerReply.OK);
  }

  Future<LayerReply> pathOp(LayerRequest.PathOp op) {
    if (op.op() == LayerRequest.PathOp.Op.READLINK) {
      if (!readlink) return Future.succeededFuture(LayerReply.LOCAL);
      Where w = where(op.path(), false);
      FsPolicy.Decision d = w.decision();
      if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
      if (d == FsPolicy.Decision.NOT_FOUND)
        return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
      return w.target().readlink(w.path()).map(LayerReply.Name::new);
    }
    Where w = where(op.path(), true);
    FsPolicy.Decision d = w.decision();
    RemoteTarget remote = w.target();
    String path = w.path();
    if (op.op() == LayerRequest.PathOp.Op.RENAME) {
      Where w2 = where(op.path2(), true);
      FsPolicy.Decision d2 = w2.decision();
      if (d == FsPolicy.Decision.LOCAL && d2 == FsPolicy.Decision.LOCAL)
        return Future.succeededFuture(LayerReply.LOCAL);
      if (d == FsPolicy.Decision.NOT_FOUND || d2 == FsPolicy.Decision.NOT_FOUND)
        return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
      if (d != d2 || w.target() != w2.target())
        return Future.succeededFuture(LayerReply.errno(Errno.EXDEV));
      return remote.rename(path, w2.path()).map(v -> LayerReply.OK);
    }
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    Future<Void> done =
        switch (op.op()) {
          case MKDIR -> remote.mkdir(path, (int) op.arg());
          case RMDIR -> remote.rmdir(path);
          case UNLINK -> remote.unlink(path);
          case TRUNCATE -> remote.truncate(path, op.arg());
          default ->
              Future.failedFuture(new RemoteErrno(Errno.ENOSYS, "unsupported path op " + op.op()));
        };
    return done.map(v -> LayerReply.OK);
  }

  private static FileMeta withSize(FileMeta m, long size) {
    return new FileMeta(
        m.dev(),
        m.ino(),
        m.nlink(),
        m.mode(),
        m.uid(),
        m.gid(),
        size,
        m.blksize(),
        0,
        m.atimeSec(),
        m.atimeNsec(),
        m.mtimeSec(),
        m.mtimeNsec(),
        m.ctimeSec(),
        m.ctimeNsec());
  }
}
