package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` end to end in its own JVM (stdio and exit codes are the process's), with a directory pod
 * standing in for the agent: environment, files through the layer, exit codes, signals, children
 * that outlive the program, a lost agent, the static-binary warning.
 */
class RunCommandTest {
  @TempDir Path work;
  Path pod;

  @BeforeEach
  void pod() throws Exception {
    pod = work.resolve("pod");
    Files.createDirectories(pod.resolve("app"));
    Files.createDirectories(pod.resolve("etc"));
    Files.writeString(pod.resolve("app/config.txt"), "pod config\n");
    Files.writeString(pod.resolve("etc/hostname"), "dir-pod\n");
    Files.writeString(
        pod.resolve("environ"),
        "POD_VAR=from-pod\nSECRET=hidden\nPATH=/pod/bin\nSHARED=pod\nAWS_PROFILE=pod\n");
  }

  record Result(int exit, String out, String err) {}

  private Result run(Map<String, String> extraEnv, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DirectoryPod.class.getName(),
                pod.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("MIRRORD_PROGRESS_MODE", "simple");
    pb.environment().put("SHARED", "local");
    pb.environment().putAll(extraEnv);
    Path out = work.resolve("out.txt"), err = work.resolve("err.txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "run did not finish: " + Files.readString(err));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void programSeesPodEnvFilesAndHostnameAndItsExitCodePassesThrough() throws Exception {
    Path cfg = work.resolve("mirrord.json");
    Files.writeString(
        cfg,
        "{\"feature\": {\"env\": {\"exclude\": \"SECRET\", \"override\": {\"OVR\": \"set\"}, \"unset\": [\"aws_profile\"]}}}");
    Result r =
        run(
            Map.of(),
            "-f",
            cfg.toString(),
            "--",
            "bash",
            "-c",
            "echo \"$POD_VAR|${SECRET:-none}|$OVR|$SHARED|${AWS_PROFILE:-unset}|$PATH\"; cat /app/config.txt; hostname; exit 7");
    assertEquals(7, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(
        "from-pod|none|set|pod|unset|" + System.getenv("PATH"),
        lines.get(0),
        "PATH is never taken from the pod");
    assertEquals("pod config", lines.get(1));
    assertEquals("dir-pod", lines.get(2));
    assertTrue(r.err().contains("Ready!"), r.err());
  }

  @Test
  void internalProxyLogGoesToTheConfiguredFile() throws Exception {
    Path log = work.resolve("proxy.log");
    Path cfg = work.resolve("log.json");
    Files.writeString(
        cfg,
        "{\"internal_proxy\": {\"log_destination\": \""
            + log
            + "\", \"log_level\": \"mirrord=debug\"}}");
    Result r = run(Map.of(), "-f", cfg.toString(), "--", "cat", "/app/config.txt");
    assertEquals(0, r.exit(), r.err());
    String text = Files.readString(log);
    assertTrue(text.contains("proxy ready on"), text);
  }

  @Test
  void loadFromProcessSetsThePodEnvironmentInsideTheProgram() throws Exception {
    Path cfg = work.resolve("late.json");
    Files.writeString(
        cfg,
        "{\"feature\": {\"env\": {\"load_from_process\": true, \"unset\": [\"AWS_PROFILE\"]}}}");
    Result r =
        run(
            Map.of(),
            "-f",
            cfg.toString(),
            "--",
            "/usr/bin/python3",
            "-c",
            "import os; print(os.environ.get('POD_VAR'), os.environ.get('SHARED'), os.environ.get('AWS_PROFILE'),"
                + " os.environ.get('MIRRORD_LAYER_LOAD_ENV'))");
    assertEquals("from-pod pod None None", r.out().trim(), r.err());
  }

  @Test
  void deathBySignalIs128PlusN() throws Exception {
    Result r = run(Map.of(), "--", "sh", "-c", "kill -TERM $$");
    assertEquals(143, r.exit(), r.err());
  }

  @Test
  void childrenOutlivingTheProgramAreServed() throws Exception {
    Path marker = work.resolve("child-out.txt");
    Result r =
        run(
            Map.of(),
            "--",
            "bash",
            "-c",
            "(sleep 1; cat /app/config.txt > " + marker + ") & exit 3");
    assertEquals(3, r.exit(), r.err());
    assertEquals(
        "pod config\n",
        Files.readString(marker),
        "the child read the pod file after the program exited");
  }

  @Test
  void lostAgentIsLoudAndRemoteOperationsFail() throws Exception {
    Path killSwitch = work.resolve("kill-agent-now");
    // the program reads once, then asks for the agent to be lost and keeps reading until a read
    // fails (bounded): the loss must surface as an errno, not as a hang or stale data
    Result r =
        run(
            Map.of("MIRRORD_TEST_KILL_AGENT_ON_FILE", killSwitch.toString()),
            "--",
            "/usr/bin/python3",
            "-c",
            "import time, errno\n"
                + "print(open('/app/config.txt').read().strip())\n"
                + "open('"
                + killSwitch
                + "', 'w').close()\n"
                + "deadline = time.time() + 20\n"
                + "while time.time() < deadline:\n"
                + "    try:\n        open('/app/config.txt').read()\n"
                + "    except OSError as e:\n        print('after=' + errno.errorcode[e.errno]); break\n"
                + "    time.sleep(0.05)\n");
    assertEquals(List.of("pod config", "after=EIO"), r.out().lines().toList(), r.err());
    assertTrue(r.err().contains("lost the connection to the agent"), r.err());
  }

  @Test
  void staticBinaryGetsAWarningOnlyWhenForcedOntoLdPreload() throws Exception {
    Path src = work.resolve("static.c");
    Files.writeString(src, "int main(void) { return 0; }\n");
    Path bin = work.resolve("static-prog");
    Process cc =
        new ProcessBuilder("gcc", "-static", "-o", bin.toString(), src.toString())
            .inheritIO()
            .start();
    assertEquals(0, cc.waitFor(), "gcc -static failed (libc6-dev provides libc.a)");
    // forced to LD_PRELOAD, a static program is told what the layer cannot reach
    Result r = run(Map.of("MIRRORD_LAYER_MODE", "preload"), "--", bin.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.err().contains("is statically linked: the mirrord layer cannot load into it"), r.err());
    // chosen automatically, it gets the seccomp layer, which does reach it: no such warning
    Result auto = run(Map.of(), "--", bin.toString());
    assertEquals(0, auto.exit(), auto.err());
    assertTrue(!auto.err().contains("cannot load into it"), auto.err());
    assertTrue(ElfLinkage.isStatic(bin));
    assertTrue(!ElfLinkage.isStatic(Path.of("/bin/sh")));
  }

  @Test
  void invalidConfigurationFailsWithExitCodeOneAndNamesTheField() throws Exception {
    Path cfg = work.resolve("bad.json");
    Files.writeString(cfg, "{\"feature\": {\"fs\": {\"mode\": \"sideways\"}}}");
    Result r = run(Map.of(), "-f", cfg.toString(), "--", "true");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("feature.fs.mode"), r.err());
  }
}
