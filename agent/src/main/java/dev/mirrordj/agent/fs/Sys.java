package dev.mirrordj.agent.fs;

import com.sun.jna.LastErrorException;

/** Runs a libc call and turns its errno into an {@link ErrnoException} that names the operation. */
final class Sys {
  private Sys() {}

  interface IntCall {
    int run();
  }

  interface LongCall {
    long run();
  }

  static int call(IntCall call, String what) throws ErrnoException {
    try {
      return call.run();
    } catch (LastErrorException e) {
      throw new ErrnoException(e.getErrorCode(), what + " failed");
    }
  }

  static long callLong(LongCall call, String what) throws ErrnoException {
    try {
      return call.run();
    } catch (LastErrorException e) {
      throw new ErrnoException(e.getErrorCode(), what + " failed");
    }
  }
}
