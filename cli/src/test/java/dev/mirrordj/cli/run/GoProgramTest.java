package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GoProgram tells Go binaries (static or cgo) from C programs, scripts and text. */
class GoProgramTest {
  @TempDir Path work;

  private Path goBuild(String name, boolean cgo) throws Exception {
    Files.writeString(
        work.resolve("main.go"),
        cgo
            ? "package main\n\n// int answer(void) { return 42; }\nimport \"C\"\n\nfunc main() { println(C.answer()) }\n"
            : "package main\n\nfunc main() { println(42) }\n");
    ProcessBuilder pb =
        new ProcessBuilder("go", "build", "-o", name, "main.go")
            .directory(work.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GOCACHE", work.resolve("gocache").toString());
    pb.environment().put("CGO_ENABLED", cgo ? "1" : "0");
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "go build timed out");
    assertEquals(0, p.exitValue(), log);
    return work.resolve(name);
  }

  @Test
  void goBinariesAreRecognisedWhateverTheirLinkage() throws Exception {
    Path cgo = goBuild("with-cgo", true);
    Path pure = goBuild("pure", false);
    assertTrue(GoProgram.isGo(cgo));
    assertFalse(ElfLinkage.isStatic(cgo));
    assertTrue(GoProgram.isGo(pure));
    assertTrue(ElfLinkage.isStatic(pure));
  }

  @Test
  void otherFilesAreNotGo() throws Exception {
    assertFalse(GoProgram.isGo(Path.of("/bin/sh")));
    Path text =
        Files.writeString(
            work.resolve("notes.txt"),
            "not an ELF file at all, just some text to read\n".repeat(3));
    assertFalse(GoProgram.isGo(text));
  }
}
