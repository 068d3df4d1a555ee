package dev.mirrordj.layerbridge.msg;

/**
 * Reply tags on the layer's wire: the first byte of every reply body. The C side spells the same
 * table as {@code enum ml_reply} in src/main/c/layer.h; LayerWireTableTest keeps them equal.
 */
public enum LayerReplyTag {
  LOCAL(0),
  ERRNO(1),
  OK(2),
  FILE(3),
  DIR(4),
  META(5),
  REDIRECT(6),
  ADDRS(7),
  NAME(8),
  HELLO(9),
  EAI(10),
  ENV(11),
  ADDRESS(12),
  FSSTAT(13);

  public final int code;

  LayerReplyTag(int code) {
    this.code = code;
  }
}
