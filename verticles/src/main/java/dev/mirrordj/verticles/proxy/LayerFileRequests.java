package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.verticles.proxy.remote.RemoteErrno;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;

/** Answers the layer's file requests: policy first, then the pod. */
final class LayerFileRequests {
  private final FsPolicy policy;
  private final RemoteTarget remote;
  private final boolean readlink;

  LayerFileRequests(FsPolicy policy, RemoteTarget remote, boolean readlink) {
    this.policy = policy;
    this.remote = remote;
    this.readlink = readlink;
  }

  Future<LayerReply> open(LayerRequest.Open o) {
    boolean writing = o.forWriting();
    FsPolicy.Decision d = policy.decide(o.path(), writing);
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
            : remote.readContent(o.path());
    return remote
        .stat(o.path(), true)
        .compose(
            meta -> {
              if (meta.isDirectory()) {
                if (writing) return Future.succeededFuture(LayerReply.errno(Errno.EISDIR));
                return remote.listDir(o.path()).map(LayerReply.Directory::new);
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
                    .writeFile(o.path(), new byte[0])
                    .compose(v -> remote.stat(o.path(), true))
                    .map(meta -> (LayerReply) new LayerReply.FileContent(true, meta, new byte[0]));
              }
              return Future.failedFuture(err);
            });
  }

  Future<LayerReply> stat(LayerRequest.Stat s) {
    FsPolicy.Decision d = policy.decide(s.path(), false);
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    return remote.stat(s.path(), s.followLinks()).map(LayerReply.Meta::new);
  }

  /** statfs/statvfs follow the same policy as stat: the pod's filesystem for a remote path. */
  Future<LayerReply> statfs(LayerRequest.StatFs s) {
    FsPolicy.Decision d = policy.decide(s.path(), false);
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    return remote.statfs(s.path()).map(LayerReply.FsStats::new);
  }

  Future<LayerReply> access(LayerRequest.Access a) {
    boolean writeCheck = (a.mode() & 2) != 0;
    FsPolicy.Decision d = policy.decide(a.path(), writeCheck);
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    return remote.stat(a.path(), true).map(m -> LayerReply.OK);
  }

  Future<LayerReply> writeBack(LayerRequest.WriteBack w) {
    if (policy.decide(w.path(), true) != FsPolicy.Decision.REMOTE)
      return Future.succeededFuture(LayerReply.errno(Errno.EROFS));
    return remote.writeFile(w.path(), w.content()).map(v -> LayerReply.OK);
  }

  Future<LayerReply> pathOp(LayerRequest.PathOp op) {
    if (op.op() == LayerRequest.PathOp.Op.READLINK) {
      if (!readlink) return Future.succeededFuture(LayerReply.LOCAL);
      FsPolicy.Decision d = policy.decide(op.path(), false);
      if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
      if (d == FsPolicy.Decision.NOT_FOUND)
        return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
      return remote.readlink(op.path()).map(LayerReply.Name::new);
    }
    FsPolicy.Decision d = policy.decide(op.path(), true);
    if (op.op() == LayerRequest.PathOp.Op.RENAME) {
      FsPolicy.Decision d2 = policy.decide(op.path2(), true);
      if (d == FsPolicy.Decision.LOCAL && d2 == FsPolicy.Decision.LOCAL)
        return Future.succeededFuture(LayerReply.LOCAL);
      if (d == FsPolicy.Decision.NOT_FOUND || d2 == FsPolicy.Decision.NOT_FOUND)
        return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
      if (d != d2) return Future.succeededFuture(LayerReply.errno(Errno.EXDEV));
      return remote.rename(op.path(), op.path2()).map(v -> LayerReply.OK);
    }
    if (d == FsPolicy.Decision.LOCAL) return Future.succeededFuture(LayerReply.LOCAL);
    if (d == FsPolicy.Decision.NOT_FOUND)
      return Future.succeededFuture(LayerReply.errno(Errno.ENOENT));
    Future<Void> done =
        switch (op.op()) {
          case MKDIR -> remote.mkdir(op.path(), (int) op.arg());
          case RMDIR -> remote.rmdir(op.path());
          case UNLINK -> remote.unlink(op.path());
          case TRUNCATE -> remote.truncate(op.path(), op.arg());
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
