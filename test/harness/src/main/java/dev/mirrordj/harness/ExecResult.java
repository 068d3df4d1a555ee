package dev.mirrordj.harness;

import java.util.List;

/**
 * The outcome of a finished command: its exit code and everything it printed.
 *
 * @param command the argv that ran
 * @param exitCode the process exit code (128+N when killed by signal N)
 * @param stdout standard output, decoded as UTF-8
 * @param stderr standard error, decoded as UTF-8
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

  /** True when the command exited with status 0. */
  public boolean ok() {
    return exitCode == 0;
  }

  /** Returns this result, or throws naming the command and its output if it did not exit with 0. */
  public ExecResult requireOk() {
    if (!ok()) {
      throw new HarnessException(
          "command "
              + command
              + " exited with "
              + exitCode
              + "\nstdout: "
              + stdout.strip()
              + "\nstderr: "
              + stderr.strip());
    }
    return this;
  }
}
