package dev.mirrordj.config;

/**
 * One problem with a configuration: where it is ({@code path}, e.g. {@code
 * feature.network.incoming.mode}; empty for the document itself), the offending value as written
 * (may be null when a value is missing), and a message saying what is accepted.
 */
public record ConfigError(String path, String value, String message) {

  /** A single human line: {@code feature.fs.mode: got "reed"; expected one of ...}. */
  public String describe() {
    String where = path.isEmpty() ? "configuration" : path;
    return value == null
        ? where + ": " + message
        : where + ": " + message + " (got: " + value + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
