package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` options about the program's process rather than the pod's resources, against the real agent
 * on a harness pod: LD_PRELOAD appended to the user's own, use_proxy, experimental.readlink,
 * skip_build_tools and experimental.tcp_ping4_mock.
 */
class RunEnvAndExperimentalOnPodE2ETest {
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("procopts")
                .env("HTTPS_PROXY", "http://pod-proxy:4")
                .file("/app/data.txt", "pod data\n")
                .file("/app/target.txt", "pod target\n"));
    // a symlink that exists only inside the pod's root, pointing at a pod-absolute path
    Files.createSymbolicLink(pod.root().resolve("app/link.txt"), Path.of("/app/target.txt"));
    agent =
        AgentProcess.start(
            MirrordRun.FAT_JAR,
            Duration.ofSeconds(60),
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600");
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  /** A config on the shared agent; json is the rest of the top-level object (may be empty). */
  static Path config(String name, String json) throws Exception {
    Path cfg = work.resolve(name + ".json");
    Files.writeString(
        cfg,
        "{\"connect_tcp\": \"127.0.0.1:"
            + agent.port()
            + "\""
            + (json.isEmpty() ? "" : ", " + json)
            + "}");
    return cfg;
  }

  static MirrordRun.Result python(Path cfg, String... lines) throws Exception {
    return MirrordRun.run(work, cfg, "/usr/bin/python3", "-c", String.join("\n", lines));
  }

  static final String PROBE =
      String.join(
          "\n",
          "import errno, os, socket",
          "def probe(label, fn):",
          "    try:",
          "        print(label + '=' + str(fn()))",
          "    except OSError as e:",
          "        print(label + '=' + (errno.errorcode.get(e.errno) or type(e).__name__))",
          "");

  @Test
  void ldPreloadIsAppendedAndTheProgramsOwnLibraryStillLoads() throws Exception {
    Path mark = work.resolve("own-preload.mark");
    Path src = work.resolve("own.c"), lib = work.resolve("libown.so");
    Files.writeString(
        src,
        String.join(
            "\n",
            "#include <fcntl.h>",
            "#include <unistd.h>",
            "__attribute__((constructor)) static void own(void) {",
            "  int fd = open(\"" + mark + "\", O_WRONLY | O_CREAT | O_APPEND, 0644);",
            "  if (fd >= 0) { write(fd, \"loaded\\n\", 7); close(fd); }",
            "}",
            ""));
    Process cc =
        new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(), src.toString())
            .inheritIO()
            .start();
    assertEquals(0, cc.waitFor());
    MirrordRun.Result r =
        MirrordRun.start(
                work,
                config("preload", ""),
                Map.of("LD_PRELOAD", lib.toString()),
                "/bin/sh",
                "-c",
                "echo \"$LD_PRELOAD\"; cat /app/data.txt")
            .await();
    List<String> lines = r.lines();
    assertEquals(2, lines.size(), r.out() + r.err());
    assertTrue(
        lines.get(0).startsWith(lib + ":") && lines.get(0).contains("libmirrord_layer"),
        "LD_PRELOAD keeps the user's library first and appends ours: " + lines.get(0));
    assertEquals(
        "pod data", lines.get(1), "the layer loaded (the pod's file was read): " + r.err());
    assertTrue(
        Files.exists(mark) && Files.readString(mark).startsWith("loaded"),
        "the user's own preload ran too");
  }

  @Test
  void useProxyFalseDropsLocalProxyVariablesInAnyCaseButKeepsThePods() throws Exception {
    Map<String, String> local =
        Map.of(
            "HTTP_PROXY",
            "http://local:1",
            "Http_Proxy",
            "http://local:2",
            "https_proxy",
            "http://local:3",
            "NO_PROXY",
            "keep");
    String show = "env | grep -i -E '^(https?_proxy|no_proxy)=' | sort";
    MirrordRun.Result off =
        MirrordRun.start(
                work, config("noproxy", "\"use_proxy\": false"), local, "/bin/sh", "-c", show)
            .await();
    assertEquals(
        List.of("HTTPS_PROXY=http://pod-proxy:4", "NO_PROXY=keep"), off.lines(), off.err());
    MirrordRun.Result on =
        MirrordRun.start(work, config("proxy", "\"use_proxy\": true"), local, "/bin/sh", "-c", show)
            .await();
    assertEquals(
        List.of(
            "HTTPS_PROXY=http://pod-proxy:4",
            "HTTP_PROXY=http://local:1",
            "Http_Proxy=http://local:2",
            "NO_PROXY=keep",
            "https_proxy=http://local:3"),
        on.lines(),
        on.err());
  }

  @Test
  void readlinkAnswersThePodsTargetOnlyWhenEnabled() throws Exception {
    String read = "probe('link', lambda: os.readlink('/app/link.txt'))";
    MirrordRun.Result on =
        python(config("readlink-on", "\"experimental\": {\"readlink\": true}"), PROBE, read);
    assertEquals(List.of("link=/app/target.txt"), on.lines(), on.err());
    MirrordRun.Result off =
        python(config("readlink-off", "\"experimental\": {\"readlink\": false}"), PROBE, read);
    assertEquals(List.of("link=ENOENT"), off.lines(), off.err());
  }

  @Test
  void aBuildToolSeesLocalFilesUnlessSkipBuildToolsIsOff() throws Exception {
    // a copy of cat named like a build tool: skipped by name, it runs without the pod's files
    Path bin = Files.createDirectories(work.resolve("tools"));
    Path gcc = bin.resolve("gcc");
    Files.copy(Path.of("/bin/cat"), gcc, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String script = "cat /app/data.txt; " + gcc + " /app/data.txt 2>/dev/null || echo gcc-is-local";
    MirrordRun.Result skipped =
        MirrordRun.run(
            work, config("tools-on", "\"skip_build_tools\": true"), "/bin/bash", "-c", script);
    assertEquals("pod data\ngcc-is-local\n", skipped.out(), skipped.err());
    MirrordRun.Result served =
        MirrordRun.run(
            work, config("tools-off", "\"skip_build_tools\": false"), "/bin/bash", "-c", script);
    assertEquals("pod data\npod data\n", served.out(), served.err());
  }

  @Test
  void tcpPing4MockAnswersPort7WithoutThePod() throws Exception {
    // nothing listens on the pod's own port 7: only the mock can make this connect succeed. A
    // blocking connect (no timeout) waits for the pod side, so a refusal is the connect's own
    // errno.
    String connect =
        "probe('port7', lambda: socket.create_connection(('" + pod.ip() + "', 7)).close())";
    MirrordRun.Result on =
        python(config("ping-on", "\"experimental\": {\"tcp_ping4_mock\": true}"), PROBE, connect);
    assertEquals(List.of("port7=None"), on.lines(), on.err());
    MirrordRun.Result off =
        python(config("ping-off", "\"experimental\": {\"tcp_ping4_mock\": false}"), PROBE, connect);
    assertEquals(List.of("port7=ECONNREFUSED"), off.lines(), off.err());
  }

  /**
   * internal_proxy.start_idle_timeout: a statically linked program never loads the layer; it execs
   * cat (which does) only once the test says so. Within the timeout cat is served; after it the
   * proxy has given up, run says so, and cat's layer gets EIO instead of the pod's file.
   */
  @Test
  void startIdleTimeoutGivesUpWhenNoLayerConnectsInTime() throws Exception {
    Path src = work.resolve("late.c"), late = work.resolve("late");
    Files.writeString(
        src,
        String.join(
            "\n",
            "#include <time.h>",
            "#include <unistd.h>",
            "int main(int argc, char **argv) {",
            "  struct timespec tick = {0, 20000000};",
            "  for (int i = 0; i < 3000 && access(argv[1], F_OK) != 0; i++) nanosleep(&tick, 0);",
            "  execl(\"/bin/cat\", \"cat\", \"/app/data.txt\", (char *) 0);",
            "  return 127;",
            "}",
            ""));
    assertEquals(
        0,
        new ProcessBuilder("gcc", "-static", "-o", late.toString(), src.toString())
            .inheritIO()
            .start()
            .waitFor());

    // forced onto LD_PRELOAD: chosen automatically, a static program gets the seccomp layer, whose
    // supervisor serves it from the start (this test is about a layer that connects late)
    Map<String, String> preload = Map.of("MIRRORD_LAYER_MODE", "preload");
    Path ready = Files.writeString(work.resolve("go-now"), "");
    MirrordRun.Result served =
        MirrordRun.start(
                work,
                config("start-idle-long", "\"internal_proxy\": {\"start_idle_timeout\": 60}"),
                preload,
                late.toString(),
                ready.toString())
            .await();
    assertEquals("pod data\n", served.out(), served.err());

    Path gate = work.resolve("go-later");
    MirrordRun.Running running =
        MirrordRun.start(
            work,
            config("start-idle-short", "\"internal_proxy\": {\"start_idle_timeout\": 1}"),
            preload,
            late.toString(),
            gate.toString());
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.readString(running.err()).contains("start_idle_timeout")
        && System.nanoTime() < deadline) Thread.sleep(20);
    Files.writeString(gate, "");
    MirrordRun.Result gaveUp = running.await();
    assertTrue(
        gaveUp.err().contains("no layer connected within internal_proxy.start_idle_timeout (1 s)"),
        gaveUp.err());
    assertEquals("", gaveUp.out(), gaveUp.err());
    assertTrue(gaveUp.err().contains("/app/data.txt: Input/output error"), gaveUp.err());
    assertEquals(1, gaveUp.exit(), gaveUp.err());
  }

  /** A child that outlives the program is still served by the pod after the program has exited. */
  @Test
  void aChildOutlivingTheProgramIsStillServed() throws Exception {
    Path result = work.resolve("child-result.txt");
    // the child waits until its parent shell is gone, then reads the pod's file
    String script =
        "p=$$; ( while kill -0 $p 2>/dev/null; do sleep 0.05; done; cat /app/data.txt > "
            + result
            + " ) & echo parent-exits";
    MirrordRun.Result r =
        MirrordRun.run(
            work,
            config("outlive", "\"internal_proxy\": {\"idle_timeout\": 1}"),
            "/bin/bash",
            "-c",
            script);
    assertEquals("parent-exits\n", r.out(), r.err());
    assertEquals(0, r.exit(), r.err());
    assertEquals("pod data\n", Files.readString(result), r.err());
  }
}
