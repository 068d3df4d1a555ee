package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime environment survives the guard → worker hand-over unchanged. */
class AgentCommandEnvTest {
  @Test
  void encodeDecodeRoundTrip() {
    List<String> env = List.of("A=1", "B=with spaces and = signs", "C=ünïcode", "D=");
    assertEquals(env, AgentCommand.decodeEnv(AgentCommand.encodeEnv(env)));
    assertEquals(List.of(), AgentCommand.decodeEnv(AgentCommand.encodeEnv(List.of())));
  }
}
