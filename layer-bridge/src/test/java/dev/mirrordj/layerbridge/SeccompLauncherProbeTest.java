package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's probe, as run before a session picks the seccomp layer. */
class SeccompLauncherProbeTest {
  @TempDir Path cache;

  @Test
  void thisKernelCanRunTheSeccompLayer() throws Exception {
    SeccompLauncher.Support s = SeccompLauncher.probe(SeccompLauncher.extract(cache));
    assertTrue(s.usable(), s.detail());
  }

  @Test
  void aKernelOlderThan514IsRefusedWithItsReleaseNamed() throws Exception {
    // setarch makes uname report a 2.6 release to the probe: the old-kernel branch, for real
    Path launcher = SeccompLauncher.extract(cache);
    SeccompLauncher.Support s =
        SeccompLauncher.probe(
            List.of("setarch", "x86_64", "--uname-2.6", launcher.toString(), "--probe"));
    assertFalse(s.usable(), s.detail());
    assertTrue(
        s.detail().matches("unsupported: kernel 2\\.6\\.\\S+ is older than 5\\.14 .*"), s.detail());
  }
}
