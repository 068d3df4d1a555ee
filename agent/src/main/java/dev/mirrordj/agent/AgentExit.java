package dev.mirrordj.agent;

/** Why the agent worker stopped, and the process exit code that goes with it. */
public record AgentExit(Reason reason, String detail) {

  /** The exit causes, each with its process exit code. */
  public enum Reason {
    IDLE(0),
    TARGET_EXITED(0),
    SIGNAL(0),
    GUARD_GONE(0),
    NO_FIRST_CLIENT(1),
    FAILURE(1);

    private final int exitCode;

    Reason(int code) {
      this.exitCode = code;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  @Override
  public String toString() {
    return reason + ": " + detail;
  }
}
