package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process-model and failure behaviour of the layer: exec with a scrubbed env, skip, lost proxy. */
class LayerBehaviourTest {
  @TempDir static Path work;
  static LayerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new LayerHarness(work);
    h.handler.localPrefixes =
        List.of("/usr", "/lib", "/proc", "/sys", "/dev", "/etc", work.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
  }

  @Test
  void execWithAnEnvironmentWithoutTheLayerStillLoadsIt() throws Exception {
    String script =
        "import subprocess\n"
            + "print('child=' + subprocess.run(['/bin/cat', '/mirrord-remote/hello.txt'], env={'PATH': '/bin'},"
            + " capture_output=True, text=True).stdout.strip())\n"
            + "import os\n"
            + "os.execve('/bin/cat', ['cat', '/mirrord-remote/hello.txt'], {})\n";
    LayerHarness.Result r = h.run(List.of("/usr/bin/python3", "-c", script));
    assertEquals(List.of("child=hello from the pod", "hello from the pod"), r.lines(), r.stderr());
  }

  @Test
  void posixSpawnAndVforkChildrenAreServed() throws Exception {
    String script =
        "import os, subprocess\n"
            + "pid = os.posix_spawn('/bin/cat', ['cat', '/mirrord-remote/hello.txt'], {})\n"
            + "os.waitpid(pid, 0)\n"
            + "print(subprocess.run(['cat', '/mirrord-remote/hello.txt'], capture_output=True, text=True).stdout.strip())\n";
    LayerHarness.Result r = h.run(List.of("/usr/bin/python3", "-c", script));
    assertEquals(List.of("hello from the pod", "hello from the pod"), r.lines(), r.stderr());
  }

  /**
   * Other libraries' at-fork child handlers run inside the real fork (libuv's closes descriptors
   * there, before node's child execs). They enter the layer's hooks while the layer's own fork
   * handling is still in progress, so its locks must already be usable in the child: a child
   * handler that closes a descriptor, while the layer tracks one (a remote file), must not hang.
   */
  @Test
  void atForkChildHandlersOfOtherLibrariesMayEnterTheLayer() throws Exception {
    Path src = work.resolve("atfork.c");
    Files.writeString(
        src,
        String.join(
            "\n",
            "#include <fcntl.h>",
            "#include <pthread.h>",
            "#include <stdio.h>",
            "#include <sys/wait.h>",
            "#include <unistd.h>",
            "static int spare = -1;",
            "static void child(void) { close(spare); }",
            "int main(void) {",
            "  int remote = open(\"/mirrord-remote/hello.txt\", O_RDONLY);",
            "  if (remote < 0) { perror(\"open\"); return 2; }",
            "  spare = dup(1);",
            "  pthread_atfork(NULL, NULL, child);",
            "  for (int i = 0; i < 3; i++) {",
            "    pid_t pid = fork();",
            "    if (pid == 0) _exit(7);",
            "    int status = 0;",
            "    waitpid(pid, &status, 0);",
            "    printf(\"child %d exited %d\\n\", i, WEXITSTATUS(status));",
            "  }",
            "  return 0;",
            "}",
            ""));
    Path bin = work.resolve("atfork");
    Process gcc =
        new ProcessBuilder("gcc", "-o", bin.toString(), src.toString(), "-lpthread")
            .inheritIO()
            .start();
    assertEquals(0, gcc.waitFor());
    LayerHarness.Result r = h.run(List.of(bin.toString()), Map.of(), 20);
    assertEquals(
        List.of("child 0 exited 7", "child 1 exited 7", "child 2 exited 7"), r.lines(), r.stderr());
  }

  @Test
  void skippedProcessBypassesEveryHook() throws Exception {
    SkipHandler skip = new SkipHandler(h.handler);
    try (LayerHarness.Swap ignored = h.swapHandler(skip)) {
      LayerHarness.Result r = h.run(List.of("/bin/cat", "/mirrord-remote/hello.txt"));
      assertTrue(
          r.exit() != 0 && r.stderr().contains("No such file or directory"),
          r.stdout() + r.stderr());
    }
  }

  @Test
  void unreachableProxyFailsWithEioInsteadOfHanging() throws Exception {
    LayerHarness.Result r =
        h.run(
            List.of("/bin/cat", "/mirrord-remote/hello.txt"),
            Map.of("MIRRORD_LAYER_SOCK", work.resolve("nobody-listens.sock").toString()));
    assertTrue(r.exit() != 0, "cat must fail");
    assertTrue(r.stderr().contains("cannot reach the mirrord proxy"), r.stderr());
    assertTrue(r.stderr().contains("Input/output error"), r.stderr());
  }

  @Test
  void remoteWriteIsWrittenBackOnFsyncAndClose() throws Exception {
    String script =
        "import os\n"
            + "fd = os.open('/mirrord-remote/fsync.txt', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)\n"
            + "os.write(fd, b'first')\n"
            + "os.fsync(fd)\n"
            + "print('after-fsync=' + open('"
            + h.remoteRoot.resolve("fsync.txt")
            + "').read())\n"
            + "os.write(fd, b'-second')\n"
            + "os.close(fd)\n";
    LayerHarness.Result r = h.run(List.of("/usr/bin/python3", "-c", script));
    assertEquals(List.of("after-fsync=first"), r.lines(), r.stderr());
    assertEquals("first-second", Files.readString(h.remoteRoot.resolve("fsync.txt")));
  }

  @Test
  void lsLongListingAndStatOfRemoteEntries() throws Exception {
    LayerHarness.Result r = h.run(List.of("ls", "-l", "/mirrord-remote/dir"));
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().contains("a.txt") && r.stdout().contains("sub"), r.stdout());
    assertTrue(
        r.stdout().lines().anyMatch(l -> l.startsWith("d") && l.endsWith(" sub")), r.stdout());
    assertEquals("", r.stderr());
    LayerHarness.Result st = h.run(List.of("stat", "-c", "%s %F", "/mirrord-remote/hello.txt"));
    assertEquals("19 regular file\n", st.stdout(), st.stderr());
  }

  @Test
  void legacyResolverEntryPoints() throws Exception {
    LayerHarness.Result r =
        h.run(
            List.of(
                "/usr/bin/python3",
                "-c",
                "import socket\nprint(socket.gethostbyname_ex('echo.cluster.test'))\n"
                    + "try:\n    socket.gethostbyname_ex('missing.cluster.test')\nexcept socket.herror as e:\n    print('herror')\n"
                    + "except socket.gaierror as e:\n    print('gaierror')\n"));
    assertEquals(
        List.of("('echo.cluster.test', [], ['127.77.0.10'])", "gaierror"), r.lines(), r.stderr());
  }

  @Test
  void directoryCopiesGoAwayWithTheirLastDescriptor() throws Exception {
    LayerHarness.Result r =
        h.run(
            List.of(
                "/usr/bin/python3",
                "-c",
                "import os\n"
                    + "for _ in range(20):\n    os.listdir('/mirrord-remote/dir')\n"
                    + "fd = os.open('/mirrord-remote/dir', os.O_RDONLY)\n"
                    + "dup = os.dup(fd)\n"
                    + "os.close(fd)\n"
                    + "print(sorted(os.listdir(dup)))\n"
                    + "os.close(dup)\n"
                    + "print(sorted(os.listdir('"
                    + h.layerTmp
                    + "')))\n"));
    assertEquals(List.of("['a.txt', 'b.txt', 'sub']", "[]"), r.lines(), r.stderr());
    LayerHarness.Result node =
        h.run(
            List.of(
                "node",
                "-e",
                "const fs = require('fs'); for (let i = 0; i < 20; i++) fs.readdirSync('/mirrord-remote/dir');"
                    + " console.log(fs.readdirSync('"
                    + h.layerTmp
                    + "').length)"));
    assertEquals(List.of("0"), node.lines(), node.stderr());
  }

  @Test
  void threadsEachGetAnswers() throws Exception {
    String script =
        "import threading, socket\n"
            + "out = []\n"
            + "def work():\n"
            + "    for _ in range(20):\n"
            + "        out.append(open('/mirrord-remote/hello.txt').read().strip() + '|' + socket.gethostbyname('echo.cluster.test'))\n"
            + "ts = [threading.Thread(target=work) for _ in range(8)]\n"
            + "[t.start() for t in ts]\n"
            + "[t.join() for t in ts]\n"
            + "print(len(out), set(out))\n";
    LayerHarness.Result r = h.run(List.of("/usr/bin/python3", "-c", script));
    assertEquals(List.of("160 {'hello from the pod|127.77.0.10'}"), r.lines(), r.stderr());
  }

  /** Answers Hello with the skip flag, as the proxy does for skip_processes / build tools. */
  private record SkipHandler(FixtureHandler inner) implements LayerRequestHandler {
    @Override
    public io.vertx.core.Future<LayerReply> handle(LayerPeer peer, LayerRequest request) {
      if (request instanceof LayerRequest.Hello) {
        return io.vertx.core.Future.succeededFuture(
            new LayerReply.Hello(LayerReply.Hello.SKIP, List.of(), List.of()));
      }
      return inner.handle(peer, request);
    }
  }
}
