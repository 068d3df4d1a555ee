package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.verticles.agents.LocalAgent;
import dev.mirrordj.verticles.agents.LocalAgentException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Starting a local agent for pid/ targets: readiness, early exit and timeout are reported, never
 * hang.
 */
class LocalAgentTest {

  private static void needRoot() {
    boolean root = dev.mirrordj.sys.Privileges.effectiveRoot();
    if (!"true".equals(System.getenv("CI")))
      Assumptions.assumeTrue(root, "skipped: starting a local agent needs root");
  }

  @Test
  void readyLineMeansStarted() throws Exception {
    needRoot();
    // a stand-in "program" whose agent subcommand prints the ready line and then stays up
    List<String> self =
        List.of(
            "sh", "-c", "echo starting; echo 'agent ready - version 0.1.0'; exec sleep 30", "sh");
    try (LocalAgent agent = LocalAgent.start(self, 1, Duration.ofSeconds(10))) {
      assertTrue(agent.address().startsWith("127.0.0.1:"));
      assertTrue(agent.output().contains("starting"), agent.output());
    }
  }

  @Test
  void earlyExitIsReportedWithTheAgentsOutput() {
    needRoot();
    List<String> self = List.of("sh", "-c", "echo 'no such target pid' >&2; exit 3", "sh");
    LocalAgentException e =
        assertThrows(
            LocalAgentException.class, () -> LocalAgent.start(self, 1, Duration.ofSeconds(10)));
    assertTrue(e.getMessage().contains("exited before it was ready (exit 3)"), e.getMessage());
    assertTrue(e.getMessage().contains("no such target pid"), e.getMessage());
  }

  @Test
  void silenceTimesOut() {
    needRoot();
    List<String> self = List.of("sh", "-c", "exec sleep 30", "sh");
    LocalAgentException e =
        assertThrows(
            LocalAgentException.class, () -> LocalAgent.start(self, 1, Duration.ofMillis(500)));
    assertEquals("the local agent was not ready within 0.5 s; its output:\n", e.getMessage());
  }
}
