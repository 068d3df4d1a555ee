package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python3, node, curl, java, bash and a C program run under the real layer against the fixture
 * proxy. "/mirrord-remote" does not exist on this machine and 127.77.0.10 has no listener, so every
 * expected line can only come through the layer.
 */
class RealProgramsUnderLayerTest {
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

  private static Path resource(String name) throws Exception {
    Path target = work.resolve(name);
    try (InputStream in =
        RealProgramsUnderLayerTest.class.getResourceAsStream("/programs/" + name)) {
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static void assertLines(LayerHarness.Result r, String... expected) {
    for (String e : expected) {
      assertTrue(
          r.lines().contains(e),
          "missing line '" + e + "'\nstdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr());
    }
    assertEquals(0, r.exit(), "exit code; stderr:\n" + r.stderr());
  }

  private static void assertWritten(String name, String content) throws Exception {
    assertEquals(content, Files.readString(h.remoteRoot.resolve(name)));
  }

  @Test
  void cProgram() throws Exception {
    Path src = resource("probe.c");
    Path bin = work.resolve("probe");
    Process cc =
        new ProcessBuilder("gcc", "-O1", "-o", bin.toString(), src.toString()).inheritIO().start();
    assertEquals(0, cc.waitFor(), "gcc failed");
    LayerHarness.Result r = h.run(List.of(bin.toString()));
    assertLines(
        r,
        "fopen=hello from the pod",
        "file=hello from the pod",
        "fsize=19",
        "size=19",
        "missing=No such file or directory",
        "dir=a.txt,b.txt,sub",
        "dns=127.77.0.10",
        "tcp=ping-tcp",
        "peer=127.77.0.10:7",
        "udp=ping-udp from 127.77.0.10:7",
        "dns-missing=yes",
        "host=fixture-pod",
        "child=hello from the pod");
    assertWritten("out-c.txt", "written by c");
  }

  @Test
  void python() throws Exception {
    LayerHarness.Result r = h.run(List.of("/usr/bin/python3", resource("probe.py").toString()));
    assertLines(
        r,
        "file=hello from the pod",
        "size=19",
        "exists=True",
        "dir=a.txt,b.txt,sub",
        "scandir=a.txt,b.txt,sub/",
        "dns=127.77.0.10",
        "tcp=ping-tcp",
        "peer=127.77.0.10:7",
        "udp=ping-udp from 127.77.0.10:7",
        "host=fixture-pod",
        "child=hello from the pod");
    assertWritten("out-py.txt", "written by py");
  }

  @Test
  void node() throws Exception {
    LayerHarness.Result r = h.run(List.of("node", resource("probe.js").toString()));
    assertLines(
        r,
        "file=hello from the pod",
        "size=19",
        "exists=true",
        "dir=a.txt,b.txt,sub",
        "host=fixture-pod",
        "child=hello from the pod",
        "async=hello from the pod",
        "dns=127.77.0.10",
        "tcp=ping-tcp",
        "udp=ping-udp from 127.77.0.10:7");
    assertWritten("out-js.txt", "written by js");
  }

  @Test
  void curl() throws Exception {
    LayerHarness.Result r =
        h.run(List.of("curl", "-sS", "--max-time", "20", "http://web.cluster.test:80/"));
    assertLines(r, "hello from pod service");
    LayerHarness.Result file = h.run(List.of("curl", "-sS", "file:///mirrord-remote/hello.txt"));
    assertLines(file, "hello from the pod");
  }

  @Test
  void bashWithCatAndPipes() throws Exception {
    LayerHarness.Result r = h.run(List.of("bash", resource("probe.sh").toString()));
    assertLines(
        r,
        "file=hello from the pod",
        "upper=HELLO FROM THE POD",
        "read=hello from the pod",
        "subst=hello from the pod",
        "test-f=yes",
        "glob=/mirrord-remote/dir/a.txt,/mirrord-remote/dir/b.txt,/mirrord-remote/dir/sub",
        "host=fixture-pod");
    assertWritten("out-sh.txt", "written by sh\n");
  }

  @Test
  void java() throws Exception {
    Path src = resource("Probe.java");
    Path classes = Files.createDirectories(work.resolve("classes"));
    Process javac =
        new ProcessBuilder("javac", "-d", classes.toString(), src.toString()).inheritIO().start();
    assertEquals(0, javac.waitFor(), "javac failed");
    LayerHarness.Result r =
        h.run(List.of("java", "-Xshare:auto", "-cp", classes.toString(), "Probe"));
    assertLines(
        r,
        "file=hello from the pod",
        "size=19",
        "dir=a.txt,b.txt,sub",
        "dns=127.77.0.10",
        "real=/mirrord-remote/hello.txt",
        "canonical=/mirrord-remote/dir/a.txt",
        "tcp=ping-tcp",
        "peer=127.77.0.10:7",
        "udp=ping-udp from 127.77.0.10:7",
        "host=fixture-pod",
        "child=hello from the pod");
    assertWritten("out-java.txt", "written by java");
  }
}
