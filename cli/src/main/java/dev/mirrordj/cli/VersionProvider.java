package dev.mirrordj.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the fat jar's manifest (the Maven project version). */
public final class VersionProvider implements IVersionProvider {

  /** The version of this build, or {@code dev} when running from classes outside the jar. */
  public static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"mirrord " + version() + " (JVM implementation)"};
  }
}
