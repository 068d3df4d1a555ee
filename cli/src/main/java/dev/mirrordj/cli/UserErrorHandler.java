package dev.mirrordj.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into one readable line on stderr and exit code 1. The stack
 * trace is printed only with {@code --verbose}: users act on the message, developers on the trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    boolean verbose =
        parsed.hasMatchedOption("--verbose")
            || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cmd.getErr().println("mirrord: error: " + message);
    if (verbose) {
      ex.printStackTrace(cmd.getErr());
    } else {
      cmd.getErr().println("(run with --verbose for details)");
    }
    return ExitCodes.FAILURE;
  }
}
