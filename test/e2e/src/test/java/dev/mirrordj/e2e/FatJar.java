package dev.mirrordj.e2e;

import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Finds cli/target/mirrord-fat.jar, the artifact these tests drive exactly as a user would. */
final class FatJar {
  private FatJar() {}

  /**
   * The fat jar: system property {@code mirrordj.fatJar}, else {@code cli/target/mirrord-fat.jar}
   * above the working directory. Missing: fails under CI=true, otherwise skips with one line saying
   * how to build it.
   */
  static Path require() {
    String prop = System.getProperty("mirrordj.fatJar");
    if (prop != null) {
      return existing(Path.of(prop));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("cli/target/mirrord-fat.jar");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return existing(Path.of("cli/target/mirrord-fat.jar").toAbsolutePath());
  }

  private static Path existing(Path jar) {
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    String why =
        jar
            + " is missing: build it first with `mvn -B -q -o -DskipTests package` at the repository root";
    if (Root.inCi()) {
      Assertions.fail(why);
    }
    Assumptions.abort("SKIPPED: " + why);
    return jar;
  }
}
