package dev.mirrordj.config.bind;

/** An enum whose constants are written in configuration files as {@link #wire()}. */
public interface ConfigEnum {
  /** The spelling used in configuration files, e.g. {@code "localwithoverrides"}. */
  String wire();
}
