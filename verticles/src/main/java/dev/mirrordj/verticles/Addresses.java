package dev.mirrordj.verticles;

/** Event-bus addresses of the local-side verticles, in one place. */
public final class Addresses {
  /**
   * Published once by the config verticle: a {@link dev.mirrordj.verticles.config.ResolvedConfig}.
   */
  public static final String CONFIG_RESOLVED = "mirrord.config.resolved";

  /**
   * Request/reply: any message gets the {@link dev.mirrordj.verticles.config.ResolvedConfig} as
   * reply.
   */
  public static final String CONFIG_GET = "mirrord.config.get";

  private Addresses() {}
}
