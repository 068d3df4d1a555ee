package dev.mirrordj.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Words a failure to read the configuration file for a user, without Java exception class names.
 */
final class ReadFailure {
  private ReadFailure() {}

  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.MalformedInputException) {
      return "the file is not valid UTF-8";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "I/O error" : m;
  }
}
