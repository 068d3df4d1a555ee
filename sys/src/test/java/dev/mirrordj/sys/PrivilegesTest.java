package dev.mirrordj.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Root is the effective uid the kernel reports for this process, not a login name. */
class PrivilegesTest {
  @Test
  void effectiveRootIsTheKernelsEffectiveUid() throws Exception {
    String effective =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Uid:"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[2];
    assertEquals("0".equals(effective), Privileges.effectiveRoot());
    assertEquals(Integer.parseInt(effective), LibC.INSTANCE.geteuid());
  }
}
