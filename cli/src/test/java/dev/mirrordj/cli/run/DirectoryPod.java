package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.client.AgentLostException;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import dev.mirrordj.verticles.proxy.remote.RemoteErrno;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Test agent connector: the "pod" is a directory (files, /etc/hostname, an env file); names in
 * .cluster.test resolve to 127.77.0.10; streams fail. With {@code MIRRORD_TEST_KILL_AGENT_ON_FILE}
 * the agent is "lost" as soon as that (local) file exists: the program under test creates it when
 * it is ready to see the loss, so no timer races a slow machine.
 */
final class DirectoryPod implements AgentConnector {
  private final Path root;

  DirectoryPod(Path root) {
    this.root = root;
  }

  @Override
  public Future<AgentLink> connect(Vertx vertx, MirrordConfig config, Progress progress) {
    Target t = new Target(root);
    String killOn = System.getenv("MIRRORD_TEST_KILL_AGENT_ON_FILE");
    if (killOn != null) {
      vertx.setPeriodic(
          20,
          id -> {
            if (Files.exists(Path.of(killOn))) {
              vertx.cancelTimer(id);
              t.kill();
            }
          });
    }
    return Future.succeededFuture(
        new AgentLink() {
          @Override
          public RemoteTarget target() {
            return t;
          }

          @Override
          public Future<Map<String, String>> environment() {
            return t.io(
                () -> {
                  Map<String, String> env = new LinkedHashMap<>();
                  for (String line : Files.readAllLines(root.resolve("environ"))) {
                    int eq = line.indexOf('=');
                    if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
                  }
                  return env;
                });
          }

          @Override
          public String describe() {
            return "directory pod " + root;
          }

          @Override
          public void close() {}
        });
  }

  static final class Target implements RemoteTarget {
    private final Path root;
    private final Promise<Void> lost = Promise.promise();
    private volatile boolean dead;

    Target(Path root) {
      this.root = root;
    }

    void kill() {
      dead = true;
      lost.tryFail(new AgentLostException("connection closed"));
    }

    <T> Future<T> io(Callable<T> work) {
      if (dead) return Future.failedFuture(new AgentLostException("connection closed"));
      try {
        return Future.succeededFuture(work.call());
      } catch (java.nio.file.NoSuchFileException e) {
        return Future.failedFuture(new RemoteErrno(Errno.ENOENT, e.getMessage()));
      } catch (Exception e) {
        return Future.failedFuture(new RemoteErrno(Errno.EIO, e.toString()));
      }
    }

    private Path pod(String p) {
      return root.resolve(p.substring(1));
    }

    private static FileMeta meta(Path p, boolean follow) throws java.io.IOException {
      Map<String, Object> a =
          Files.readAttributes(
              p,
              "unix:*",
              follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS});
      FileTime mt = (FileTime) a.get("lastModifiedTime");
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
          mt.toInstant().getEpochSecond(),
          0,
          mt.toInstant().getEpochSecond(),
          0,
          mt.toInstant().getEpochSecond(),
          0);
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
    public Future<List<DirEntry>> listDir(String path) {
      return io(
          () -> {
            List<DirEntry> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(pod(path))) {
              for (Path c : ds)
                out.add(
                    new DirEntry(
                        c.getFileName().toString(),
                        Files.isDirectory(c) ? DirEntry.DT_DIR : DirEntry.DT_REG,
                        ""));
            }
            return out;
          });
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
    public Future<Void> truncate(String path, long len) {
      return Future.failedFuture(new RemoteErrno(Errno.ENOSYS, "truncate"));
    }

    @Override
    public Future<String> readlink(String path) {
      return io(() -> Files.readSymbolicLink(pod(path)).toString());
    }

    @Override
    public Future<List<InetAddress>> resolve(String name) {
      return io(
          () ->
              name.endsWith(".cluster.test")
                  ? List.of(InetAddress.getByAddress(new byte[] {127, 77, 0, 10}))
                  : List.of());
    }

    @Override
    public Future<String> hostname() {
      return io(() -> Files.readString(pod("/etc/hostname")).trim());
    }

    @Override
    public Future<RemoteConnection> connectStream(SockAddr target) {
      return io(
          () -> {
            throw new RemoteErrno(Errno.ECONNREFUSED, "no services in a directory pod");
          });
    }

    @Override
    public Future<RemoteConnection> openDatagram(SockAddr target) {
      return io(
          () -> {
            throw new RemoteErrno(Errno.ECONNREFUSED, "no services in a directory pod");
          });
    }

    @Override
    public Future<Void> lost() {
      return lost.future();
    }
  }

  /** Entry point for the subprocess tests: {@code <podRoot> [run options] -- program...}. */
  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    picocli.CommandLine custom =
        new picocli.CommandLine(
            new dev.mirrordj.cli.RunCommand(System.getenv(), new DirectoryPod(root)));
    custom.setExecutionExceptionHandler(
        dev.mirrordj.cli.Main.commandLine().getExecutionExceptionHandler());
    System.exit(custom.execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
  }
}
