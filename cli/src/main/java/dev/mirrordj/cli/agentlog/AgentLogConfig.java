package dev.mirrordj.cli.agentlog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code agent.log_level} and {@code agent.json_log} to the agent's logback at start-up
 * (guard and worker alike), replacing what {@code logback.xml} set.
 *
 * <p>The level takes mirrord's {@code RUST_LOG} shape: comma-separated directives, each either a
 * bare level (the root) or {@code target=level}. Rust targets {@code mirrord} and {@code
 * mirrord_<crate>} name our {@code dev.mirrordj[.<crate>]} packages; any other target is a logger
 * name ({@code ::} read as {@code .}). A directive that does not parse is reported and skipped: a
 * typo in the log level must not keep the agent from starting.
 */
public final class AgentLogConfig {
  private AgentLogConfig() {}

  /** Logger name (root = {@link Logger#ROOT_LOGGER_NAME}) → level, in directive order. */
  public static Map<String, Level> parse(String spec, List<String> problems) {
    Map<String, Level> levels = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return levels;
    }
    for (String raw : spec.split(",")) {
      String directive = raw.trim();
      if (directive.isEmpty()) {
        continue;
      }
      int eq = directive.indexOf('=');
      String target =
          eq < 0 ? Logger.ROOT_LOGGER_NAME : loggerName(directive.substring(0, eq).trim());
      String levelName = (eq < 0 ? directive : directive.substring(eq + 1)).trim();
      Level level = level(levelName);
      if (level == null || target.isEmpty()) {
        problems.add(
            "ignoring log level directive '"
                + directive
                + "': expected LEVEL or TARGET=LEVEL with LEVEL one of trace, debug, info, warn, error, off");
      } else {
        levels.put(target, level);
      }
    }
    return levels;
  }

  /**
   * Sets the levels and, with {@code json}, switches every console appender to one JSON object per
   * line.
   */
  public static void apply(String spec, boolean json) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return; // not logback (never in the fat jar); nothing to configure
    }
    List<String> problems = new ArrayList<>();
    parse(spec, problems).forEach((name, level) -> ctx.getLogger(name).setLevel(level));
    if (json) {
      useJson(ctx);
    }
    org.slf4j.Logger log = LoggerFactory.getLogger(AgentLogConfig.class);
    problems.forEach(log::warn);
  }

  private static void useJson(LoggerContext ctx) {
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender
          && !(appender.getEncoder() instanceof JsonLineEncoder)) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(ctx);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }

  static String loggerName(String target) {
    String t = target.replace("::", ".");
    if (t.equals("mirrord")) {
      return "dev.mirrordj";
    }
    if (t.startsWith("mirrord_")) {
      return "dev.mirrordj." + t.substring("mirrord_".length());
    }
    return t;
  }

  private static Level level(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "trace" -> Level.TRACE;
      case "debug" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warn", "warning" -> Level.WARN;
      case "error" -> Level.ERROR;
      case "off" -> Level.OFF;
      default -> null;
    };
  }
}
