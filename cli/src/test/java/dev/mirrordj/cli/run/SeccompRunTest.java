package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.cli.run.SeccompRun.Scope;
import dev.mirrordj.layerbridge.SeccompLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which part of a program tree the seccomp layer serves, and what happens on a kernel that cannot
 * do it (this machine's kernel can, so the probe's answer is given here as an old kernel's would
 * read; the probe itself is tested with the real launcher in the verticles module).
 */
class SeccompRunTest {
  private static final SeccompLauncher.Support OLD_KERNEL =
      new SeccompLauncher.Support(
          false, false, "kernel 5.4.0 is older than 5.14 (seccomp ADDFD with SEND)");

  @Test
  void staticAndGoProgramsAreServedWholeDynamicOnesOfferItToTheirChildrenInAutoModeOnly() {
    assertEquals(
        Scope.WHOLE_TREE, SeccompRun.scope(LayerChoice.Mode.AUTO, LayerChoice.Kind.STATIC));
    assertEquals(Scope.WHOLE_TREE, SeccompRun.scope(LayerChoice.Mode.AUTO, LayerChoice.Kind.GO));
    assertEquals(
        Scope.DESCENDANTS, SeccompRun.scope(LayerChoice.Mode.AUTO, LayerChoice.Kind.DYNAMIC));
    assertEquals(
        Scope.DESCENDANTS, SeccompRun.scope(LayerChoice.Mode.AUTO, LayerChoice.Kind.UNKNOWN));
    assertEquals(
        Scope.WHOLE_TREE, SeccompRun.scope(LayerChoice.Mode.SECCOMP, LayerChoice.Kind.DYNAMIC));
    assertEquals(Scope.NONE, SeccompRun.scope(LayerChoice.Mode.PRELOAD, LayerChoice.Kind.STATIC));
    assertEquals(Scope.NONE, SeccompRun.scope(LayerChoice.Mode.PRELOAD, LayerChoice.Kind.DYNAMIC));
  }

  @Test
  void aKernelWithoutTheFeaturesGetsTheLdPreloadLayerAndTheUserIsToldWhy() throws Exception {
    List<String> said = new ArrayList<>();
    SeccompRun run = startOnAnOldKernel(Scope.WHOLE_TREE, said);
    assertNull(run, "no supervisor when the kernel cannot do it");
    assertEquals(1, said.size(), said.toString());
    assertTrue(
        said.get(0).startsWith("warning: the seccomp layer is not available here"), said.get(0));
    assertTrue(said.get(0).contains("kernel 5.4.0 is older than 5.14"), said.get(0));
    assertTrue(said.get(0).contains("using the LD_PRELOAD layer"), said.get(0));
  }

  @Test
  void aDynamicProgramOnSuchAKernelRunsWithoutAWarning() throws Exception {
    // its own calls are served by LD_PRELOAD; only a static child of it would not be: not worth a
    // warning for every python or node run
    List<String> said = new ArrayList<>();
    SeccompRun run = startOnAnOldKernel(Scope.DESCENDANTS, said);
    assertNull(run);
    assertTrue(said.isEmpty(), said.toString());
  }

  /** Nothing past the kernel check may be needed: no Vert.x, proxy or agent is given. */
  private static SeccompRun startOnAnOldKernel(Scope scope, List<String> said) throws Exception {
    return SeccompRun.start(
        scope,
        Path.of("/nonexistent/launcher"),
        OLD_KERNEL,
        new RecordingProgress(said),
        null,
        null,
        null,
        null,
        Path.of("/nonexistent"));
  }
}
