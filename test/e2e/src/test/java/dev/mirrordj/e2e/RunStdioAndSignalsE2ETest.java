package dev.mirrordj.e2e;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mirrord run} passes the program's stdin, stdout and stderr through unchanged, and
 * forwards the signals a terminal does not deliver itself (SIGTERM, SIGHUP, SIGUSR1/2) to the
 * program, whose exit code it then returns (issue 4, item 3). One agent on a harness pod serves
 * every session (connect_tcp).
 */
class RunStdioAndSignalsE2ETest {
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
    agent =
        AgentProcess.start(
            FatJar.require(),
            PodAgent.READY,
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600");
    config = work.resolve("mirrord.json");
    Files.writeString(config, "{\"connect_tcp\": \"127.0.0.1:" + agent.port() + "\"}");
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void stdinStdoutAndStderrPassThroughAndTheExitCodeComesBack() throws Exception {
    Path input = work.resolve("input.txt");
    Files.writeString(input, "line one\nline two\n");
    try (MirrordSession run =
        MirrordSession.start(
            work,
            config,
            input,
            "/usr/bin/python3",
            "-c",
            String.join(
                "\n",
                "import sys",
                "data = sys.stdin.read()",
                "sys.stdout.write('out:' + data.upper() + open('/app/data.txt').read())",
                "sys.stderr.write('err-marker\\n')",
                "sys.exit(3)"))) {
      int exit = run.awaitExit(Duration.ofSeconds(120));
      assertEquals("out:LINE ONE\nLINE TWO\npod data\n", run.out(), run.err());
      assertTrue(run.err().lines().anyMatch(l -> l.equals("err-marker")), run.err());
      assertEquals(3, exit, run.err());
    }
  }

  @Test
  void sigtermAndSighupToRunReachTheProgram() {
    for (String sig : new String[] {"TERM", "HUP"}) {
      try (MirrordSession run =
          MirrordSession.start(
              work,
              config,
              "/usr/bin/python3",
              "-c",
              String.join(
                  "\n",
                  "import signal, sys, time",
                  "def got(n, f):",
                  "    print('got ' + signal.Signals(n).name, flush=True); sys.exit(7)",
                  "signal.signal(signal.SIG" + sig + ", got)",
                  "print('ready', flush=True)",
                  "time.sleep(60)",
                  "print('no signal came', flush=True)"))) {
        run.awaitLine("ready", Duration.ofSeconds(120));
        PodFirewall.signal(
            sig, run.process().pid()); // bin/mirrord execs java, so this is run itself
        int exit = run.awaitExit(Duration.ofSeconds(30));
        assertTrue(
            run.lines().contains("got SIG" + sig), "out:\n" + run.out() + "\nerr:\n" + run.err());
        assertEquals(7, exit, run.err());
      }
    }
  }
}
