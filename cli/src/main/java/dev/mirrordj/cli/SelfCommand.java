package dev.mirrordj.cli;

import java.nio.file.Path;
import java.util.List;

/** The command line that runs this program again (its main class on the same class path). */
public final class SelfCommand {
  private SelfCommand() {}

  public static List<String> argv() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
  }
}
