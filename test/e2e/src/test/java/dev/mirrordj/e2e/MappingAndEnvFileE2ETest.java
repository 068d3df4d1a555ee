package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * feature.fs.mapping, feature.env.env_file and feature.env.mapping with python3 under {@code
 * bin/mirrord run} against a harness pod (target {@code pid/<pod pid>}), and the unlink cases of
 * mirrord's own test program (remote, local and mapped paths) with a program of ours.
 */
class MappingAndEnvFileE2ETest {
  static final Duration SESSION = Duration.ofSeconds(120);
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    FatJar.require();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("app")
                .hostname("mapping-pod")
                .env("ALPHA", "pod")
                .env("BETA", "pod")
                .env("CONN_TIMEOUT", "500")
                .env("GAMMA", "pod")
                .file("/app/settings.txt", "pod settings\n"));
  }

  @AfterAll
  static void stop() {
    if (pod != null) {
      MirrordSession.agentsFor(pod.pid()).forEach(ProcessHandle::destroyForcibly);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path config(String feature) throws IOException {
    Path file = work.resolve("mirrord-" + UUID.randomUUID() + ".json");
    Files.writeString(
        file,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\", \"experimental\": {\"tcp_ping4_mock\": false}, \"feature\": "
            + feature
            + "}");
    return file;
  }

  private static MirrordSession run(Path config, String... program) {
    return MirrordSession.start(work, config, program);
  }

  @Test
  void envFileOverridesThePodThenMappingThenOverride() throws Exception {
    Path envFile = work.resolve("app.env");
    Files.writeString(
        envFile,
        String.join(
            "\n",
            "# values for the local run",
            "BETA=file",
            "export DELTA=file",
            "EPSILON='literal $DELTA'",
            "REF=${DELTA}-x",
            "QUOTED=\"a b # not a comment\"",
            "PLAIN=v1 # a comment",
            ""));
    Path cfg =
        config(
            "{\"env\": {\"env_file\": \""
                + envFile
                + "\", \"mapping\": {\"_TIMEOUT$\": \"10000\", \"^EPS\": \"mapped\"},"
                + " \"override\": {\"GAMMA\": \"override\"}}}");
    String code =
        "import os; print('|'.join(k + '=' + os.environ.get(k, '<unset>') for k in "
            + "['ALPHA','BETA','CONN_TIMEOUT','GAMMA','DELTA','EPSILON','REF','QUOTED','PLAIN']))";
    try (MirrordSession s = run(cfg, "python3", "-c", code)) {
      assertEquals(0, s.awaitExit(SESSION), s.err());
      assertEquals(
          "ALPHA=pod|BETA=file|CONN_TIMEOUT=10000|GAMMA=override|DELTA=file|EPSILON=mapped"
              + "|REF=file-x|QUOTED=a b # not a comment|PLAIN=v1",
          s.out().strip(),
          s.err());
    }
  }

  @Test
  void aMissingEnvFileIsAnErrorNamingIt() throws Exception {
    Path missing = work.resolve("no-such.env");
    Path cfg = config("{\"env\": {\"env_file\": \"" + missing + "\"}}");
    try (MirrordSession s = run(cfg, "true")) {
      assertNotEquals(0, s.awaitExit(SESSION), "a missing env_file fails the run");
      assertTrue(s.err().contains("feature.env.env_file"), s.err());
      assertTrue(s.err().contains(missing.toString()), s.err());
    }
  }

  @Test
  void fsMappingRewritesARemotePathWithCaptureGroups() throws Exception {
    Path cfg =
        config(
            "{\"fs\": {\"mode\": \"read\", \"mapping\": "
                + "{\"^/srv/config/(?<name>\\\\w+)\\\\.conf$\": \"/app/${name}.txt\"}}}");
    try (MirrordSession s =
        run(cfg, "python3", "-c", "print(open('/SRV/config/settings.conf').read(), end='')")) {
      assertEquals(0, s.awaitExit(SESSION), s.err());
      assertEquals("pod settings\n", s.out(), s.err());
    }
  }

  @Test
  void unlinkCasesOnRemoteLocalAndMappedPaths() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String remote = "/tmp/mdj-" + id + "-remote_test";
    Path local = work.resolve("local_test-" + id);
    Path source = work.resolve("source_test-" + id);
    Path sink = work.resolve("sink_test-" + id);
    Path cfg =
        config(
            "{\"fs\": {\"mode\": \"localwithoverrides\", \"read_write\": \".*remote_test.*\","
                + " \"mapping\": {\"source_test\": \"sink_test\"}}}");
    Path program =
        Path.of(getClass().getResource("/issue14/unlink_cases.py").toURI()).toAbsolutePath();
    try (MirrordSession s =
        run(
            cfg,
            "python3",
            program.toString(),
            remote,
            local.toString(),
            source.toString(),
            sink.toString())) {
      int exit = s.awaitExit(SESSION);
      assertEquals(0, exit, s.out() + s.err());
      assertEquals(
          List.of(
              "ok remote_unlink",
              "ok remote_unlinkat",
              "ok local_unlink",
              "ok local_unlinkat",
              "ok mapped_unlink",
              "ok mapped_unlinkat"),
          List.of(s.out().strip().split("\n")),
          s.err());
    }
    Path podRoot = Path.of("/proc/" + pod.pid() + "/root");
    assertTrue(
        Files.isDirectory(podRoot.resolve(remote.substring(1)).resolve("test_unlink")),
        "the read_write directory was created in the pod");
    assertFalse(Files.exists(Path.of(remote)), "and not on this machine");
    assertTrue(Files.isDirectory(local.resolve("test_unlinkat")), "local paths stay local");
    assertTrue(Files.isDirectory(sink.resolve("test_unlink")), "mapped paths land on the target");
    assertFalse(Files.exists(source), "nothing was created under the path before mapping");
    try (var left = Files.list(sink.resolve("test_unlink"))) {
      assertEquals(0, left.count(), "the mapped files were unlinked");
    }
  }

  @Test
  void aKubeconfigVariableNamingAMissingFileIsReportedWithThatFile() throws Exception {
    Path missing = work.resolve("missing-kubeconfig-" + UUID.randomUUID());
    Path cfg = work.resolve("kube-target.json");
    Files.writeString(cfg, "{\"target\": \"pod/some-pod\"}");
    ProcessBuilder pb =
        new ProcessBuilder(
                MirrordSession.launcher().toString(), "run", "-f", cfg.toString(), "--", "true")
            .directory(work.toFile())
            .redirectErrorStream(true);
    pb.environment().put("MIRRORD_PROGRESS_MODE", "off");
    pb.environment().put("MIRRORD_JAR", FatJar.require().toString());
    pb.environment().put("KUBECONFIG", missing.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "run ends");
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains(missing.toString()), "the error names the file: " + out);
    assertTrue(out.contains("KUBECONFIG"), out);
  }
}
