package dev.mirrordj.cli.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts the user's program with inherited stdin/stdout/stderr and forwards the signals a terminal
 * does not already deliver to it. Its exit code is the program's (Java reports death by signal N as
 * 128+N, which is what a shell shows).
 */
public final class ProgramLauncher {
  private static final Logger log = LoggerFactory.getLogger(ProgramLauncher.class);

  /** SIGINT/SIGQUIT come from the terminal to the whole foreground group, the program included. */
  private static final List<String> IGNORED = List.of("INT", "QUIT");

  private static final List<String> FORWARDED = List.of("TERM", "HUP", "USR1", "USR2");

  private ProgramLauncher() {}

  public static Process start(List<String> command, Map<String, String> env, Path cwd)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    if (cwd != null) pb.directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    // Handlers go in before the program exists: a SIGTERM that arrives while it starts must
    // still reach it. Without a handler the JVM would take the signal itself and wait for a
    // program that never heard of it.
    SignalRelay relay = new SignalRelay();
    installSignalForwarding(relay);
    Process p;
    try {
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      relay.abandon();
      throw e;
    }
    relay.attach(p);
    return p;
  }

  /** Holds signals that arrive before the program has started, then forwards them in order. */
  private static final class SignalRelay {
    private final List<String> early = new java.util.ArrayList<>();
    private Process process;
    private boolean abandoned;

    synchronized void signal(String name) {
      if (process != null) {
        forward(process, name);
      } else if (!abandoned) {
        early.add(name);
      }
    }

    synchronized void attach(Process p) {
      process = p;
      early.forEach(name -> forward(p, name));
      early.clear();
    }

    synchronized void abandon() {
      abandoned = true;
      early.clear();
    }
  }

  private static void installSignalForwarding(SignalRelay relay) {
    for (String name : IGNORED) {
      try {
        Signal.handle(
            new Signal(name),
            s -> log.debug("SIG{} left to the program (same process group)", name));
      } catch (IllegalArgumentException e) {
        log.debug("cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
    for (String name : FORWARDED) {
      try {
        Signal.handle(new Signal(name), s -> relay.signal(name));
      } catch (IllegalArgumentException e) {
        log.debug("cannot forward SIG{}: {}", name, e.getMessage());
      }
    }
  }

  private static void forward(Process p, String name) {
    if (!p.isAlive()) return;
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
    } catch (IOException e) {
      log.warn("could not forward SIG{} to pid {}: {}", name, p.pid(), e.toString());
      if (name.equals("TERM")) p.destroy();
    }
  }
}
