package dev.mirrordj.config.jsonpath;

/** A JSONPath expression that cannot be parsed; the message says where and why. */
public final class InvalidJsonPathException extends Exception {
  public InvalidJsonPathException(String message) {
    super(message);
  }
}
