package dev.mirrordj.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (ip, kill, nsenter ...) to completion with a deadline. */
public final class Commands {
  /** Generous: the machine is shared by several builds at once. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Commands() {}

  /** Runs {@code argv} with the host environment; returns its result whatever the exit code. */
  public static ExecResult run(String... argv) {
    return run(List.of(argv), null, DEFAULT_TIMEOUT);
  }

  /** Runs {@code argv} and throws {@link HarnessException} unless it exits with 0. */
  public static ExecResult check(String... argv) {
    return run(argv).requireOk();
  }

  /**
   * Runs {@code argv} to completion.
   *
   * @param env if not null, the complete environment of the child (nothing inherited)
   * @param timeout the child is killed and a {@link HarnessException} thrown when it runs longer
   */
  public static ExecResult run(List<String> argv, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (env != null) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new HarnessException("cannot start " + argv + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new HarnessException("command " + argv + " did not finish within " + timeout);
      }
      return new ExecResult(List.copyOf(argv), p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted while running " + argv, e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
