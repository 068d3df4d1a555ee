package dev.mirrordj.layerbridge.msg;

/**
 * One entry of a remote directory; {@code type} is a {@code DT_*} value, linkTarget only for links.
 */
public record DirEntry(String name, int type, String linkTarget) {
  public static final int DT_UNKNOWN = 0;
  public static final int DT_DIR = 4;
  public static final int DT_REG = 8;
  public static final int DT_LNK = 10;
}
