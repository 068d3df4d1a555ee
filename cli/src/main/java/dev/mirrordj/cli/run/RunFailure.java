package dev.mirrordj.cli.run;

/** A reason `run` cannot start the program, worded for the user. */
public class RunFailure extends Exception {
  public RunFailure(String message) {
    super(message);
  }

  public RunFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
