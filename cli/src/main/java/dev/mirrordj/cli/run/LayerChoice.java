package dev.mirrordj.cli.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which layer a program gets: the LD_PRELOAD layer where libc calls can be hooked, the seccomp
 * layer for programs that bypass libc (static binaries, Go, which makes raw system calls even when
 * dynamically linked). {@code --layer-mode} or {@code MIRRORD_LAYER_MODE} forces one.
 */
public final class LayerChoice {
  public static final String VARIABLE = "MIRRORD_LAYER_MODE";

  /** auto: decided per program; preload and seccomp: forced. */
  public enum Mode {
    AUTO,
    PRELOAD,
    SECCOMP
  }

  private LayerChoice() {}

  /** The mode from the flag (if given) or the variable; a bad value is a clear error. */
  public static Mode mode(String flag, Map<String, String> env) throws RunFailure {
    String value = flag != null ? flag : env.get(VARIABLE);
    String source = flag != null ? "--layer-mode" : VARIABLE;
    if (value == null || value.isBlank()) return Mode.AUTO;
    try {
      return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RunFailure(
          source + ": '" + value + "' is not a layer mode; accepted: auto, preload, seccomp", e);
    }
  }

  /** What the program is, for the automatic choice and for the user's messages. */
  public enum Kind {
    STATIC,
    GO,
    DYNAMIC,
    UNKNOWN
  }

  public static Kind inspect(List<String> command, Map<String, String> env) {
    Optional<Path> program = ElfLinkage.which(command.get(0), env.get("PATH"));
    if (program.isEmpty()) return Kind.UNKNOWN;
    try {
      if (ElfLinkage.isStatic(program.get())) return Kind.STATIC;
      if (GoProgram.isGo(program.get())) return Kind.GO;
      return Kind.DYNAMIC;
    } catch (IOException | RuntimeException e) {
      return Kind.UNKNOWN;
    }
  }

  /** Whether the seccomp layer should serve the program (before asking the kernel). */
  public static boolean wantsSeccomp(Mode mode, Kind kind) {
    return switch (mode) {
      case SECCOMP -> true;
      case PRELOAD -> false;
      case AUTO -> kind == Kind.STATIC || kind == Kind.GO;
    };
  }
}
