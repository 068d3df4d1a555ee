package dev.mirrordj.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by polling it until a deadline: never a bare sleep standing in for a
 * condition.
 */
public final class Poll {
  private Poll() {}

  /**
   * Polls {@code condition} every few milliseconds; throws naming {@code what} if it is still false
   * at the deadline.
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    if (!tryUntil(timeout, condition)) {
      throw new HarnessException("timed out after " + timeout + " waiting for " + what);
    }
  }

  /** Like {@link #until} but returns false instead of throwing. */
  public static boolean tryUntil(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 2;
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HarnessException("interrupted while polling", e);
      }
      pause = Math.min(pause * 2, 50);
    }
  }
}
