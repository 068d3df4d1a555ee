package dev.mirrordj.cli.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * How progress is shown, from {@code MIRRORD_PROGRESS_MODE}: {@code std}/{@code standard} (spinner
 * on stderr), {@code simple}/{@code dumb} (plain lines on stderr), {@code json} (one JSON message
 * per line on stdout, for IDEs and scripts), {@code off}.
 */
public enum ProgressMode {
  STD,
  SIMPLE,
  JSON,
  OFF;

  public static final String VARIABLE = "MIRRORD_PROGRESS_MODE";

  /** Reads the mode from the environment; unknown values fall back to {@code fallback}. */
  public static ProgressMode fromEnv(Map<String, String> env, ProgressMode fallback) {
    String v = env.get(VARIABLE);
    if (v == null) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "std", "standard" -> STD;
      case "simple", "dumb" -> SIMPLE;
      case "json" -> JSON;
      case "off" -> OFF;
      default -> fallback;
    };
  }

  /**
   * Starts the root task in this mode; machine output to {@code out}, human output to {@code err}.
   */
  public Progress start(String name, PrintStream out, PrintStream err) {
    return switch (this) {
      case STD -> new SpinnerProgress(name, err, System.console() != null);
      case SIMPLE -> new SimpleProgress(name, null, err);
      case JSON -> new JsonProgress(name, null, out);
      case OFF -> new OffProgress(name);
    };
  }
}
