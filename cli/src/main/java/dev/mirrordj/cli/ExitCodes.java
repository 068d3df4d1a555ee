package dev.mirrordj.cli;

/** Process exit codes every command shares; {@code run} passes the program's own code through. */
public final class ExitCodes {
  public static final int OK = 0;

  /**
   * A failure the user can act on: invalid configuration, unreachable agent, missing privileges.
   */
  public static final int FAILURE = 1;

  /** The command line itself was wrong (picocli's convention). */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
