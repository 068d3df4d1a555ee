package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigEnum;

/** How file operations are served by default (feature.fs.mode). */
public enum FsMode implements ConfigEnum {
  LOCAL("local"),
  LOCAL_WITH_OVERRIDES("localwithoverrides"),
  READ("read"),
  WRITE("write");

  private final String wire;

  FsMode(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
