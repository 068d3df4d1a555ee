package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void versionAndHelp() {
    CliRun version = CliRun.main("--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("mirrord "), version.out());
    CliRun help = CliRun.main("--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("verify-config") && help.out().contains("schema"), help.out());
    CliRun subHelp = CliRun.main("verify-config", "--help");
    assertTrue(subHelp.out().contains("--ide"), subHelp.out());
  }

  @Test
  void shellCompletionKnowsTheCommands() {
    CliRun run = CliRun.main("generate-completion");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("verify-config") && run.out().contains("schema"));
  }
}
