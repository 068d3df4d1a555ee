package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigEnum;

/** What to do when another session already steals the port (operator only). */
public enum ConcurrentStealMode implements ConfigEnum {
  ABORT("abort"),
  CONTINUE("continue"),
  OVERRIDE("override");

  private final String wire;

  ConcurrentStealMode(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
