package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerChoiceTest {
  @TempDir Path work;

  @Test
  void theFlagBeatsTheVariableAndNeitherMeansAuto() throws Exception {
    assertEquals(LayerChoice.Mode.AUTO, LayerChoice.mode(null, Map.of()));
    assertEquals(
        LayerChoice.Mode.SECCOMP, LayerChoice.mode(null, Map.of(LayerChoice.VARIABLE, "seccomp")));
    assertEquals(
        LayerChoice.Mode.PRELOAD,
        LayerChoice.mode("Preload", Map.of(LayerChoice.VARIABLE, "seccomp")));
  }

  @Test
  void aBadValueNamesItsSourceAndTheAcceptedValues() {
    RunFailure flag = assertThrows(RunFailure.class, () -> LayerChoice.mode("ptrace", Map.of()));
    assertEquals(
        "--layer-mode: 'ptrace' is not a layer mode; accepted: auto, preload, seccomp",
        flag.getMessage());
    RunFailure variable =
        assertThrows(
            RunFailure.class, () -> LayerChoice.mode(null, Map.of(LayerChoice.VARIABLE, "x")));
    assertTrue(variable.getMessage().startsWith("MIRRORD_LAYER_MODE: 'x'"), variable.getMessage());
  }

  @Test
  void staticAndGoProgramsGetTheSeccompLayerInAutoModeOnly() throws Exception {
    Path src = Files.writeString(work.resolve("m.c"), "int main(void) { return 0; }\n");
    Path bin = work.resolve("static-prog");
    Process cc =
        new ProcessBuilder("gcc", "-static", "-o", bin.toString(), src.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, cc.exitValue(), log);
    Map<String, String> env = Map.of("PATH", "/usr/bin:/bin");
    assertEquals(LayerChoice.Kind.STATIC, LayerChoice.inspect(List.of(bin.toString()), env));
    assertEquals(LayerChoice.Kind.DYNAMIC, LayerChoice.inspect(List.of("sh"), env));
    assertEquals(
        LayerChoice.Kind.UNKNOWN, LayerChoice.inspect(List.of("no-such-program-here"), env));
    assertTrue(LayerChoice.wantsSeccomp(LayerChoice.Mode.AUTO, LayerChoice.Kind.STATIC));
    assertTrue(LayerChoice.wantsSeccomp(LayerChoice.Mode.AUTO, LayerChoice.Kind.GO));
    assertFalse(LayerChoice.wantsSeccomp(LayerChoice.Mode.AUTO, LayerChoice.Kind.DYNAMIC));
    assertFalse(LayerChoice.wantsSeccomp(LayerChoice.Mode.PRELOAD, LayerChoice.Kind.GO));
    assertTrue(LayerChoice.wantsSeccomp(LayerChoice.Mode.SECCOMP, LayerChoice.Kind.DYNAMIC));
  }
}
