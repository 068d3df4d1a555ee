package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigEnum;

/** A Linux capability the agent can be denied (agent.disabled_capabilities). */
public enum Capability implements ConfigEnum {
  NET_ADMIN("NET_ADMIN"),
  NET_RAW("NET_RAW"),
  SYS_PTRACE("SYS_PTRACE"),
  SYS_ADMIN("SYS_ADMIN");

  private final String wire;

  Capability(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
