package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Root;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a new user runs it: {@code ./demo.sh} (root) with the fat jar
 * built and the pod harness's classpath not yet computed, which makes the script compute it the way
 * a fresh checkout does. Its output must show the demo pod's environment, file, DNS and service,
 * and both halves of the incoming part: the request with the header answered by this machine, the
 * one without it by the pod.
 */
class DemoScriptE2ETest {
  private static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();

  @Test
  void theDemoShowsThePodsContextAndStealsOnlyTheRequestWithItsHeader() throws Exception {
    Root.requireRoot();
    Files.deleteIfExists(REPO.resolve("test/harness/target/runtime-classpath.txt"));
    Path out = Files.createTempFile("demo-", ".out");
    try {
      Process demo =
          new ProcessBuilder("./demo.sh")
              .directory(REPO.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      boolean ended = demo.waitFor(300, TimeUnit.SECONDS);
      if (!ended) {
        demo.descendants().forEach(ProcessHandle::destroy);
        demo.destroy();
        demo.waitFor(30, TimeUnit.SECONDS);
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      assertTrue(ended, "the demo ended within 5 minutes\n" + output);
      assertEquals(0, demo.exitValue(), output);
      for (String line :
          new String[] {
            "env DEMO_POD_GREETING  hello from inside the demo pod",
            "hostname               demo",
            "file /srv/demo/message.txt this file exists only in the demo pod",
            "http http.default.svc.cluster.local:80 HTTP/1.1 200 OK | hello from the cluster http"
                + " service",
            "hello from this machine (the request was stolen from the demo pod)",
            "--- from the demo cluster, without it:\nhello from the demo pod"
          }) {
        assertTrue(output.contains(line), "the demo prints: " + line + "\n" + output);
      }
      assertTrue(
          output.contains("env DEMO_POD_GREETING  <not set>"),
          "without mirrord the program sees this machine\n" + output);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
