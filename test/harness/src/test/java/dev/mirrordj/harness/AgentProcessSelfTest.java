package dev.mirrordj.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AgentProcess's contract with a stand-in process: ready line, early exit, timeout, tree kill. (No
 * root needed.)
 */
class AgentProcessSelfTest {

  @Test
  void readyLineIsDetectedAndCloseKillsTheWholeTree() {
    AgentProcess p =
        AgentProcess.launch(
            List.of(
                "/bin/sh",
                "-c",
                "echo starting; echo 'log line' >&2; sleep 1000 & echo 'agent ready - version 1.2.3'; wait"),
            4242);
    try {
      assertEquals("1.2.3", p.awaitReady(Duration.ofSeconds(10)));
      assertEquals("1.2.3", p.version());
      assertEquals(4242, p.port());
      Poll.until(
          "stderr captured", Duration.ofSeconds(5), () -> p.output().contains("[stderr] log line"));
      List<ProcessHandle> children = p.process().descendants().toList();
      assertFalse(children.isEmpty(), "the stand-in started a child");
      p.close();
      assertFalse(p.process().isAlive());
      Poll.until(
          "children killed",
          Duration.ofSeconds(5),
          () -> children.stream().noneMatch(ProcessHandle::isAlive));
    } finally {
      p.close();
    }
  }

  @Test
  void exitBeforeReadyFailsWithTheOutput() {
    try (AgentProcess p =
        AgentProcess.launch(List.of("/bin/sh", "-c", "echo 'bad flag --nope' >&2; exit 3"), 1)) {
      HarnessException e =
          assertThrows(HarnessException.class, () -> p.awaitReady(Duration.ofSeconds(10)));
      assertTrue(e.getMessage().contains("bad flag --nope"), e.getMessage());
      assertEquals(3, p.awaitExit(Duration.ofSeconds(5)));
    }
  }

  @Test
  void noReadyLineTimesOut() {
    try (AgentProcess p =
        AgentProcess.launch(List.of("/bin/sh", "-c", "echo 'agent almost ready'; sleep 1000"), 1)) {
      HarnessException e =
          assertThrows(HarnessException.class, () -> p.awaitReady(Duration.ofMillis(500)));
      assertTrue(e.getMessage().contains("agent almost ready"), e.getMessage());
      assertThrows(HarnessException.class, () -> p.awaitExit(Duration.ofMillis(100)));
    }
  }

  @Test
  void freePortIsBindable() throws Exception {
    int port = AgentProcess.freePort();
    assertTrue(port > 0);
    try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
      assertEquals(port, s.getLocalPort());
    }
  }
}
