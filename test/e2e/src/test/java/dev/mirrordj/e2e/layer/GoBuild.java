package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** go build of a one-file program, with a build cache under the test's temp dir. */
public final class GoBuild {
  private GoBuild() {}

  public static Path build(Path work, String name, String source, boolean cgo) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.writeString(dir.resolve("main.go"), source);
    ProcessBuilder pb =
        new ProcessBuilder("go", "build", "-o", name, "main.go")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GOCACHE", work.resolve("gocache").toString());
    pb.environment().put("GOPATH", work.resolve("gopath").toString());
    pb.environment().put("CGO_ENABLED", cgo ? "1" : "0");
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "go build timed out");
    assertEquals(0, p.exitValue(), "go build " + name + ": " + log);
    return dir.resolve(name);
  }
}
