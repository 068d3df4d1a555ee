package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The worker's own argument parser reads what the guard writes, and rejects anything else. */
class AgentWorkerArgsTest {
  @Test
  void readsTheGuardsWorkerCommandLine() {
    AgentCommand c =
        AgentCommand.workerFromArgs(
            new String[] {
              "--port",
              "4100",
              "--communication-timeout",
              "7",
              "--idle-ttl",
              "3",
              "--worker",
              "--listen",
              "127.0.0.1",
              "--target-pid",
              "42"
            });
    assertTrue(c.worker);
    assertEquals(4100, c.port);
    assertEquals(7, c.communicationTimeout);
    assertEquals(3, c.idleTtl);
    assertEquals("127.0.0.1", c.listen);
    assertEquals(42L, c.target.pid);
    assertFalse(c.target.targetless);

    AgentCommand t =
        AgentCommand.workerFromArgs(new String[] {"--port", "0", "--worker", "--targetless"});
    assertTrue(t.target.targetless);
    assertNull(t.target.pid);
    assertEquals(30, t.communicationTimeout, "default communication timeout");
  }

  @Test
  void rejectsWhatTheGuardNeverWrites() {
    assertThrows(
        IllegalArgumentException.class,
        () -> AgentCommand.workerFromArgs(new String[] {"--port", "1", "--targetless"}),
        "not a worker");
    assertThrows(
        IllegalArgumentException.class,
        () -> AgentCommand.workerFromArgs(new String[] {"--worker", "--targetless"}),
        "no port");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AgentCommand.workerFromArgs(
                new String[] {"--port", "1", "--worker", "--targetless", "--target-pid", "3"}),
        "two targets");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AgentCommand.workerFromArgs(new String[] {"--port", "x", "--worker", "--targetless"}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AgentCommand.workerFromArgs(
                new String[] {"--port", "1", "--worker", "--targetless", "--bogus"}));
    assertThrows(
        IllegalArgumentException.class, () -> AgentCommand.workerFromArgs(new String[] {"--port"}));
  }
}
