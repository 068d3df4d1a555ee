package dev.mirrordj.config.load;

/** The configuration file could not be rendered as a template; the message names the line. */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
