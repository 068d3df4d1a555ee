package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigEnum;

/** How incoming traffic reaches the local process (feature.network.incoming.mode). */
public enum IncomingMode implements ConfigEnum {
  MIRROR("mirror"),
  STEAL("steal"),
  OFF("off");

  private final String wire;

  IncomingMode(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
