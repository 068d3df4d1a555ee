package dev.mirrordj.config.bind;

/** A configuration value does not follow its syntax; the message says what is accepted. */
public final class ConfigValueException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigValueException(String message) {
    super(message);
  }
}
