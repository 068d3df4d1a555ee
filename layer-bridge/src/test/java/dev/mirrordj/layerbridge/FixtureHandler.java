package dev.mirrordj.layerbridge;

import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.Errno;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test stand-in for the proxy: "/mirrord-remote/..." is served from a temp dir, names ending in
 * ".cluster.test" resolve to 127.77.0.10, and 127.77.0.10:port is redirected to local test
 * services. Everything else is local. Records requests so tests can check what the layer asked.
 */
final class FixtureHandler implements LayerRequestHandler {
  static final String REMOTE = "/mirrord-remote";
  static final byte[] CLUSTER_IP = {127, 77, 0, 10};

  /** What statfs answers for any remote path: figures no real filesystem here has. */
  static final dev.mirrordj.protocol.FsStat FS_STAT =
      new dev.mirrordj.protocol.FsStat(
          0x6d697272L, 2048, 4242, 4000, 3900, 777, 700, 0x0000000500000007L, 200, 1024, 0x21);

  private final Path root;
  private final Map<String, Integer> tcpPorts = new ConcurrentHashMap<>();
  private final Map<String, Integer> udpPorts = new ConcurrentHashMap<>();
  final List<LayerRequest> seen = new CopyOnWriteArrayList<>();
  final List<LayerRequest.Hello> hellos = new CopyOnWriteArrayList<>();
  volatile List<String> localPrefixes = List.of();

  FixtureHandler(Path root) {
    this.root = root;
  }

  void tcpService(int remotePort, int localPort) {
    tcpPorts.put(Integer.toString(remotePort), localPort);
  }

  void udpService(int remotePort, int localPort) {
    udpPorts.put(Integer.toString(remotePort), localPort);
  }

  @Override
  public Future<LayerReply> handle(LayerPeer peer, LayerRequest request) {
    seen.add(request);
    try {
      return Future.succeededFuture(answer(request));
    } catch (IOException e) {
      return Future.succeededFuture(LayerReply.errno(errnoOf(e)));
    }
  }

  private LayerReply answer(LayerRequest request) throws IOException {
    if (request instanceof LayerRequest.Hello h) {
      hellos.add(h);
      int flags =
          LayerReply.Hello.FS
              | LayerReply.Hello.OUTGOING
              | LayerReply.Hello.DNS
              | LayerReply.Hello.HOSTNAME;
      return new LayerReply.Hello(flags, localPrefixes, List.of(".so"));
    }
    if (request instanceof LayerRequest.Open o) return open(o);
    if (request instanceof LayerRequest.Stat s) {
      Path p = map(s.path());
      if (p == null) return LayerReply.LOCAL;
      return new LayerReply.Meta(meta(p, s.followLinks()));
    }
    if (request instanceof LayerRequest.StatFs s) {
      Path p = map(s.path());
      if (p == null) return LayerReply.LOCAL;
      if (!Files.exists(p)) return LayerReply.errno(Errno.ENOENT);
      return new LayerReply.FsStats(FS_STAT);
    }
    if (request instanceof LayerRequest.Access a) {
      Path p = map(a.path());
      if (p == null) return LayerReply.LOCAL;
      return Files.exists(p, LinkOption.NOFOLLOW_LINKS)
          ? LayerReply.OK
          : LayerReply.errno(Errno.ENOENT);
    }
    if (request instanceof LayerRequest.WriteBack w) {
      Path p = map(w.path());
      if (p == null) return LayerReply.errno(Errno.EIO);
      Files.write(p, w.content());
      return LayerReply.OK;
    }
    if (request instanceof LayerRequest.PathOp op) return pathOp(op);
    if (request instanceof LayerRequest.Connect c) return connect(c);
    if (request instanceof LayerRequest.Dns d) {
      if (!d.node().endsWith(".cluster.test") && !d.node().equals("fixture-pod"))
        return LayerReply.LOCAL;
      if (d.node().startsWith("missing.")) return new LayerReply.Eai(Errno.EAI_NONAME);
      return new LayerReply.Addresses(d.node(), List.of(InetAddress.getByAddress(CLUSTER_IP)));
    }
    if (request instanceof LayerRequest.Hostname) return new LayerReply.Name("fixture-pod");
    return LayerReply.OK;
  }

  private Path map(String path) {
    if (path.equals(REMOTE)) return root;
    if (!path.startsWith(REMOTE + "/")) return null;
    return root.resolve(path.substring(REMOTE.length() + 1));
  }

  private LayerReply open(LayerRequest.Open o) throws IOException {
    Path p = map(o.path());
    if (p == null) return LayerReply.LOCAL;
    boolean exists = Files.exists(p);
    if (!exists && (o.flags() & Errno.O_CREAT) == 0) return LayerReply.errno(Errno.ENOENT);
    if (exists && (o.flags() & Errno.O_CREAT) != 0 && (o.flags() & Errno.O_EXCL) != 0)
      return LayerReply.errno(Errno.EEXIST);
    if (exists && Files.isDirectory(p)) {
      if (o.forWriting()) return LayerReply.errno(Errno.EISDIR);
      List<DirEntry> entries = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        for (Path c : ds) {
          int type =
              Files.isSymbolicLink(c)
                  ? DirEntry.DT_LNK
                  : Files.isDirectory(c) ? DirEntry.DT_DIR : DirEntry.DT_REG;
          String target = type == DirEntry.DT_LNK ? Files.readSymbolicLink(c).toString() : "";
          entries.add(new DirEntry(c.getFileName().toString(), type, target));
        }
      }
      entries.sort(Comparator.comparing(DirEntry::name));
      return new LayerReply.Directory(entries);
    }
    if ((o.flags() & Errno.O_DIRECTORY) != 0) return LayerReply.errno(Errno.ENOTDIR);
    if (!exists) Files.write(p, new byte[0]);
    byte[] content = (o.flags() & Errno.O_TRUNC) != 0 ? new byte[0] : Files.readAllBytes(p);
    return new LayerReply.FileContent(o.forWriting(), meta(p, true), content);
  }

  private LayerReply pathOp(LayerRequest.PathOp op) throws IOException {
    Path p = map(op.path());
    if (p == null) return LayerReply.LOCAL;
    switch (op.op()) {
      case MKDIR -> Files.createDirectory(p);
      case RMDIR, UNLINK -> Files.delete(p);
      case RENAME -> {
        Path q = map(op.path2());
        if (q == null) return LayerReply.errno(Errno.EXDEV);
        Files.move(p, q, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      case TRUNCATE -> {
        try (var ch =
            java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
          ch.truncate(op.arg());
        }
      }
      case READLINK -> {
        return new LayerReply.Name(Files.readSymbolicLink(p).toString());
      }
    }
    return LayerReply.OK;
  }

  private LayerReply connect(LayerRequest.Connect c) throws IOException {
    SockAddr a = c.address();
    if (!a.isInet() || !java.util.Arrays.equals(a.ip(), CLUSTER_IP)) return LayerReply.LOCAL;
    Integer local =
        (c.type() == LayerRequest.SockType.STREAM ? tcpPorts : udpPorts)
            .get(Integer.toString(a.port()));
    if (local == null) return LayerReply.errno(Errno.ECONNREFUSED);
    return new LayerReply.Redirect(SockAddr.inet(InetAddress.getLoopbackAddress(), local));
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

  private static int errnoOf(IOException e) {
    if (e instanceof NoSuchFileException) return Errno.ENOENT;
    if (e instanceof FileAlreadyExistsException) return Errno.EEXIST;
    if (e instanceof java.nio.file.DirectoryNotEmptyException) return Errno.ENOTEMPTY;
    if (e instanceof java.nio.file.AccessDeniedException) return Errno.EACCES;
    return Errno.EIO;
  }
}
