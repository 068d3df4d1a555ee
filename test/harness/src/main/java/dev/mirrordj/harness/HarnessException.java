package dev.mirrordj.harness;

/** A harness step failed: a command exited badly, a pod did not come up, a condition never held. */
public class HarnessException extends RuntimeException {
  public HarnessException(String message) {
    super(message);
  }

  public HarnessException(String message, Throwable cause) {
    super(message, cause);
  }
}
