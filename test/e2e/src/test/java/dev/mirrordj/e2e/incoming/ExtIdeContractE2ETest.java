package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirrord ext} driven the way an IDE plugin drives it: start it, read its stdout as JSON
 * lines until the root task finishes, take the launch document from that message, start the program
 * with the environment it describes (the IDE's own launch, not {@code run}), and see the program
 * get the pod's environment, files and cluster DNS; then {@code ext} ends by itself once the
 * program is gone.
 */
class ExtIdeContractE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT_TASK = "mirrord preparing to launch";

  /** The IDE's program: what it sees of the pod. */
  private static final String PROGRAM =
      String.join(
          "\n",
          "import os, socket",
          "print('env', os.environ.get('POD_ONLY'))",
          "print('file', open('/app/data.txt').read().strip())",
          "print('dns', socket.gethostbyname('" + Cluster.HTTP_NAME + "'))",
          "");

  @TempDir static Path work;
  static Cluster cluster;

  @BeforeAll
  static void start() {
    Root.requireRoot();
    cluster = Cluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void theIdeReadsTheLaunchDocumentStartsItsProgramWithItAndTheSessionEndsWhenTheProgramDid()
      throws Exception {
    Pod pod =
        cluster.addPod(
            PodSpec.named("ide")
                .env("POD_ONLY", "from the pod")
                .file("/app/data.txt", "pod data\n"));
    Path dir = Files.createTempDirectory(work, "ext");
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(
        cfg, "{\"feature\": {\"fs\": \"read\"}, \"internal_proxy\": {\"idle_timeout\": 1}}");
    // the target comes from -t, as the IDE's target picker passes it
    try (BackgroundRun ext =
        BackgroundRun.mirrord(
            dir,
            Map.of(),
            List.of("ext", "-f", cfg.toString(), "-t", "pid/" + pod.pid(), "-e", "python3"))) {
      JsonNode finished = rootFinished(ext);
      assertTrue(finished.path("success").asBoolean(), finished + "\n" + ext.output());
      JsonNode launch = JSON.readTree(finished.path("message").asText());
      JsonNode environment = launch.path("environment");
      assertTrue(environment.path("LD_PRELOAD").asText().contains("libmirrord"), launch.toString());
      assertTrue(
          Files.exists(Path.of(environment.path("MIRRORD_LAYER_SOCK").asText())),
          "the proxy's address is a live socket: " + launch);
      assertEquals("from the pod", environment.path("POD_ONLY").asText(), launch.toString());
      assertTrue(launch.path("patched_path").isNull(), launch.toString());
      assertFalse(launch.path("uses_operator").asBoolean(), launch.toString());

      // the IDE's launch: its own environment changed as the document says
      ProcessBuilder ide = new ProcessBuilder("python3", "-c", PROGRAM);
      Map<String, String> env = ide.environment();
      environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      launch.path("env_to_unset").forEach(k -> env.remove(k.asText()));
      Path out = dir.resolve("program.txt");
      Process program = ide.redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertTrue(program.waitFor(60, TimeUnit.SECONDS), "the program finishes");
      String seen = Files.readString(out);
      assertEquals(0, program.exitValue(), seen + "\n" + ext.output());
      assertTrue(seen.contains("env from the pod"), seen);
      assertTrue(seen.contains("file pod data"), seen);
      assertTrue(seen.contains("dns " + cluster.httpIp()), seen);

      // served until idle after the program's end, then ext ends by itself
      assertEquals(0, ext.awaitExit(60), ext.output());
      for (String line : ext.stdout().split("\n")) {
        if (!line.isBlank()) JSON.readTree(line); // stdout is JSON lines only
      }
    }
  }

  @Test
  void withoutAnyProcessWithinStartIdleTimeoutTheSessionEndsWithOneAndSaysWhy() throws Exception {
    Pod pod = cluster.addPod(PodSpec.named("idle"));
    Path dir = Files.createTempDirectory(work, "idle");
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(cfg, "{\"internal_proxy\": {\"start_idle_timeout\": 2}}");
    try (BackgroundRun ext =
        BackgroundRun.mirrord(
            dir, Map.of(), List.of("ext", "-f", cfg.toString(), "-t", "pid/" + pod.pid()))) {
      assertTrue(rootFinished(ext).path("success").asBoolean(), ext.output());
      assertEquals(1, ext.awaitExit(60), ext.output());
      assertTrue(ext.output().contains("start_idle_timeout"), ext.output());
    }
  }

  @Test
  void aConfigurationErrorFailsTheRootTaskAndExitsWithOne() throws Exception {
    Path dir = Files.createTempDirectory(work, "bad");
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(cfg, "{\"feature\": {\"fs\": \"reed\"}}");
    try (BackgroundRun ext =
        BackgroundRun.mirrord(
            dir, Map.of(), List.of("ext", "-f", cfg.toString(), "-t", "targetless"))) {
      assertEquals(1, ext.awaitExit(60), ext.output());
      JsonNode finished = rootFinished(ext);
      assertFalse(finished.path("success").asBoolean(), finished.toString());
      assertTrue(ext.output().contains("feature.fs.mode"), ext.output());
    }
  }

  /** Reads stdout line by line, as the plugin does, until the root task's FinishedTask. */
  private static JsonNode rootFinished(BackgroundRun ext) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    awaitTrue(
        ext,
        "the root task finishes",
        () -> {
          for (String line : ext.stdout().split("\n")) {
            if (line.isBlank() || !line.endsWith("}")) continue; // a line still being written
            try {
              JsonNode n = JSON.readTree(line);
              if (n.path("type").asText().equals("FinishedTask")
                  && n.path("name").asText().equals(ROOT_TASK)) {
                found.add(n);
                return true;
              }
            } catch (Exception e) {
              throw new AssertionError("stdout holds only JSON lines: " + line, e);
            }
          }
          return false;
        });
    return found.get(0);
  }
}
