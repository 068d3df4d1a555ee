package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native layer's libc corners under `run` on a harness pod: programs whose allocator is
 * jemalloc, tcmalloc or mimalloc start and read pod files (their allocators call readlink, open and
 * fstat from inside their own init lock, where a hook that used malloc deadlocked), and the statfs
 * family answers the pod's filesystem for a pod path and the local one for a local path. The pod's
 * /data is a tmpfs of a size no host filesystem has (12344 KiB, 777 inodes), mounted in the pod's
 * mount namespace only.
 */
class NativeLayerOnPodE2ETest {
  static final Path LIBS = Path.of("/usr/lib/x86_64-linux-gnu");
  static final long DATA_BLOCKS = 12344 / 4;
  static final long DATA_INODES = 777;
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;
  static Path config;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    pod = cluster.addPod(PodSpec.named("app").file("/app/data.txt", "pod data\n"));
    pod.exec(
            "sh",
            "-c",
            "mkdir -p /data && mount -t tmpfs -o size=12344k,nr_inodes=777 mdj-statfs /data"
                + " && echo 'on the small fs' > /data/f.txt")
        .requireOk();
    agent =
        AgentProcess.start(
            MirrordRun.FAT_JAR,
            Duration.ofSeconds(60),
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600");
    config = work.resolve("mirrord.json");
    Files.writeString(
        config,
        "{\"connect_tcp\": \"127.0.0.1:"
            + agent.port()
            + "\", \"feature\": {\"fs\": {\"mode\": \"read\"},"
            + " \"network\": {\"incoming\": {\"mode\": \"off\"}}}}");
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  static Path allocator(String soname) {
    Path lib = LIBS.resolve(soname);
    assertTrue(Files.exists(lib), lib + " missing: run scripts/install-deps.sh");
    return lib;
  }

  static void assertLines(MirrordRun.Result r, String... expected) {
    for (String e : expected)
      assertTrue(
          r.lines().contains(e),
          "missing '"
              + e
              + "'\nout:\n"
              + r.out()
              + "\nerr:\n"
              + r.err()
              + "\nagent:\n"
              + agent.output());
    assertEquals(0, r.exit(), r.err());
  }

  /** `stat -f` of a path: type (hex), fundamental block size, total blocks, total inodes. */
  record FsFigures(long type, long blockSize, long blocks, long files) {
    static FsFigures parse(String out) {
      String[] f = out.trim().split(" ");
      return new FsFigures(
          Long.parseLong(f[0], 16),
          Long.parseLong(f[1]),
          Long.parseLong(f[2]),
          Long.parseLong(f[3]));
    }
  }

  static final String STAT_F = "%t %S %b %c";

  static FsFigures inPod(String path) {
    ExecResult r = pod.exec("stat", "-f", "-c", STAT_F, path).requireOk();
    return FsFigures.parse(r.stdout());
  }

  static FsFigures onHost(Path path) throws Exception {
    Process p = new ProcessBuilder("stat", "-f", "-c", STAT_F, path.toString()).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "stat -f " + path);
    return FsFigures.parse(out);
  }

  @Test
  void podFilesystemIsTheDistinctiveOne() throws Exception {
    FsFigures pod = inPod("/data");
    assertEquals(DATA_BLOCKS, pod.blocks(), pod.toString());
    assertEquals(DATA_INODES, pod.files(), pod.toString());
    assertNotEquals(pod, onHost(work), "the host's filesystem must differ for the test to mean it");
  }

  @Test
  void pythonStatvfsOfAPodPathAnswersThePodAndOfALocalPathTheHost() throws Exception {
    MirrordRun.Result r =
        MirrordRun.run(
            work,
            config,
            "/usr/bin/python3",
            "-c",
            String.join(
                "\n",
                "import os",
                "for name, p in (('pod', '/data'), ('local', '" + work + "')):",
                "    s = os.statvfs(p)",
                "    print(name, s.f_frsize, s.f_blocks, s.f_files)",
                "fd = os.open('/data/f.txt', os.O_RDONLY)",
                "s = os.fstatvfs(fd)",
                "print('podfd', s.f_frsize, s.f_blocks, s.f_files)"));
    FsFigures pod = inPod("/data"), local = onHost(work);
    assertLines(
        r,
        "pod " + pod.blockSize() + " " + pod.blocks() + " " + pod.files(),
        "podfd " + pod.blockSize() + " " + pod.blocks() + " " + pod.files(),
        "local " + local.blockSize() + " " + local.blocks() + " " + local.files());
  }

  /**
   * statvfs follows the fs policy as stat does: a path under a {@code local} pattern is looked up
   * on the host (where this pod-only file does not exist), one under {@code not_found} is ENOENT
   * without asking the pod, and any other remote path answers the pod's filesystem.
   */
  @Test
  void statvfsFollowsTheLocalAndNotFoundPatternsLikeStat() throws Exception {
    assertFalse(Files.exists(Path.of("/data/f.txt")), "the file must be pod-only for this test");
    // the pod has both paths: the ENOENTs below come from the policy, not from the pod
    pod.exec("mkdir", "-p", "/data/hidden").requireOk();
    Path patterns = work.resolve("statvfs-patterns.json");
    Files.writeString(
        patterns,
        "{\"connect_tcp\": \"127.0.0.1:"
            + agent.port()
            + "\", \"feature\": {\"fs\": {\"mode\": \"read\","
            + " \"local\": [\"^/data/f\\\\.txt$\"], \"not_found\": [\"^/data/hidden\"]},"
            + " \"network\": {\"incoming\": {\"mode\": \"off\"}}}}");
    MirrordRun.Result r =
        MirrordRun.run(
            work,
            patterns,
            "/usr/bin/python3",
            "-c",
            String.join(
                "\n",
                "import os",
                "for p in ('/data', '/data/f.txt', '/data/hidden'):",
                "    try:",
                "        s = os.statvfs(p)",
                "        print(p, s.f_frsize, s.f_blocks, s.f_files)",
                "    except OSError as e:",
                "        print(p, 'errno', e.errno)",
                "    try:",
                "        os.stat(p)",
                "        print(p, 'stat ok')",
                "    except OSError as e:",
                "        print(p, 'stat errno', e.errno)"));
    FsFigures figures = inPod("/data");
    assertLines(
        r,
        "/data " + figures.blockSize() + " " + figures.blocks() + " " + figures.files(),
        "/data stat ok",
        "/data/f.txt errno 2",
        "/data/f.txt stat errno 2",
        "/data/hidden errno 2",
        "/data/hidden stat errno 2");
  }

  @Test
  void cStatfsAndFstatvfsOfAPodPathAnswerThePod() throws Exception {
    Path src = work.resolve("statfs.c");
    Files.writeString(
        src,
        String.join(
            "\n",
            "#include <fcntl.h>",
            "#include <stdio.h>",
            "#include <sys/statfs.h>",
            "#include <sys/statvfs.h>",
            "static void show(const char *name, const struct statfs *s) {",
            "  printf(\"%s %lx %ld %lu %lu\\n\", name, (unsigned long)s->f_type, (long)s->f_bsize,",
            "         (unsigned long)s->f_blocks, (unsigned long)s->f_files); }",
            "int main(int argc, char **argv) {",
            "  struct statfs s; struct statvfs v;",
            "  if (statfs(\"/data\", &s) == 0) show(\"statfs\", &s); else perror(\"statfs\");",
            "  if (statfs(argv[1], &s) == 0) show(\"local\", &s); else perror(\"statfs local\");",
            "  int fd = open(\"/data/f.txt\", O_RDONLY);",
            "  if (fd >= 0 && fstatfs(fd, &s) == 0) show(\"fstatfs\", &s); else perror(\"fstatfs\");",
            "  if (fd >= 0 && fstatvfs(fd, &v) == 0)",
            "    printf(\"fstatvfs %lu %lu %lu\\n\", v.f_frsize, (unsigned long)v.f_blocks,"
                + " (unsigned long)v.f_files);",
            "  else perror(\"fstatvfs\");",
            "  if (statfs(\"/data/missing/x\", &s) != 0) perror(\"missing\");",
            "  return 0; }",
            ""));
    Path bin = work.resolve("statfs");
    assertEquals(
        0,
        new ProcessBuilder("gcc", "-o", bin.toString(), src.toString())
            .inheritIO()
            .start()
            .waitFor());
    MirrordRun.Result r = MirrordRun.run(work, config, bin.toString(), work.toString());
    FsFigures pod = inPod("/data"), local = onHost(work);
    String podLine =
        Long.toHexString(pod.type())
            + " "
            + pod.blockSize()
            + " "
            + pod.blocks()
            + " "
            + pod.files();
    assertLines(
        r,
        "statfs " + podLine,
        "fstatfs " + podLine,
        "fstatvfs " + pod.blockSize() + " " + pod.blocks() + " " + pod.files(),
        "local "
            + Long.toHexString(local.type())
            + " "
            + local.blockSize()
            + " "
            + local.blocks()
            + " "
            + local.files());
    assertTrue(
        r.err().contains("missing: No such file or directory"),
        "the pod's ENOENT for a missing pod path: " + r.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"libjemalloc.so.2", "libtcmalloc_minimal.so.4", "libmimalloc.so.2"})
  void programsWithAnotherAllocatorPreloadedReadPodFiles(String soname) throws Exception {
    String lib = allocator(soname).toString();
    // env sets LD_PRELOAD for the program; the layer's exec hook appends itself after the allocator
    MirrordRun.Result cat =
        MirrordRun.run(work, config, "env", "LD_PRELOAD=" + lib, "cat", "/app/data.txt");
    assertLines(cat, "pod data");
    MirrordRun.Result python =
        MirrordRun.run(
            work,
            config,
            "env",
            "LD_PRELOAD=" + lib,
            "/usr/bin/python3",
            "-c",
            "print('file=' + open('/app/data.txt').read().strip())");
    assertLines(python, "file=pod data");
  }

  /**
   * nghttpd is linked to jemalloc by Debian, so the allocator initialises before any preloaded
   * library: it serves /app from the pod through the layer.
   */
  @Test
  void jemallocLinkedServerServesPodFiles() throws Exception {
    allocator("libjemalloc.so.2");
    Path nghttpd = Path.of("/usr/sbin/nghttpd");
    assertTrue(Files.exists(nghttpd), "nghttpd missing: run scripts/install-deps.sh");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    MirrordRun.Running server =
        MirrordRun.start(
            work, config, nghttpd.toString(), "--no-tls", "-d", "/app", Integer.toString(port));
    try {
      String body = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (body == null && System.nanoTime() < deadline) {
        Process curl =
            new ProcessBuilder(
                    "curl",
                    "-sS",
                    "--fail",
                    "--max-time",
                    "10",
                    "--http2-prior-knowledge",
                    "http://127.0.0.1:" + port + "/data.txt")
                .start();
        String out = new String(curl.getInputStream().readAllBytes());
        assertTrue(curl.waitFor(20, TimeUnit.SECONDS), "curl hung");
        if (curl.exitValue() == 0) body = out;
        else {
          assertTrue(
              server.process().isAlive(),
              "nghttpd exited: "
                  + server.outSoFar()
                  + Files.readString(server.err())
                  + "\nagent:\n"
                  + agent.output());
          Thread.sleep(200);
        }
      }
      assertEquals("pod data\n", body, "nghttpd output: " + server.outSoFar());
    } finally {
      server.process().descendants().forEach(ProcessHandle::destroyForcibly);
      server.process().destroyForcibly();
      server.process().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
