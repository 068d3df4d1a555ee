package dev.mirrordj.cli.run;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.mirrordj.config.InternalProxyConfig;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * internal_proxy.log_destination / log_level: when a destination is set, the proxy's and the layer
 * bridge's logs also go to that file at the given level (RUST_LOG style: the last {@code
 * target=level} or bare level wins, e.g. {@code mirrord=trace} means TRACE).
 */
final class ProxyLogging {
  private static final String[] LOGGERS = {
    "dev.mirrordj.verticles.proxy", "dev.mirrordj.layerbridge"
  };

  private ProxyLogging() {}

  static void apply(InternalProxyConfig cfg) {
    if (cfg.logDestination().isEmpty()
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
    enc.start();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(ctx);
    file.setName("internal-proxy");
    file.setFile(cfg.logDestination().get());
    file.setEncoder(enc);
    file.start();
    Level level = level(cfg.logLevel());
    for (String name : LOGGERS) {
      Logger l = ctx.getLogger(name);
      l.addAppender(file);
      l.setLevel(level);
    }
  }

  static Level level(String spec) {
    Level level = Level.INFO;
    for (String part : spec.split(",")) {
      String v = part.contains("=") ? part.substring(part.indexOf('=') + 1) : part;
      Level parsed = Level.toLevel(v.trim().toUpperCase(Locale.ROOT), null);
      if (parsed != null) level = parsed;
    }
    return level;
  }
}
