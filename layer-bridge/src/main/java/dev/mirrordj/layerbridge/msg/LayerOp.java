package dev.mirrordj.layerbridge.msg;

/**
 * Request op numbers on the layer's wire: the first byte of every request body. The C side spells
 * the same table as {@code enum ml_op} in src/main/c/layer.h; LayerWireTableTest reads that header
 * and fails when the two disagree in either direction.
 */
public enum LayerOp {
  HELLO(1),
  OPEN(2),
  STAT(3),
  ACCESS(4),
  PATHOP(5),
  WRITEBACK(6),
  CONNECT(7),
  DNS(8),
  HOSTNAME(9),
  LISTEN(10),
  GETENV(11),
  UNLISTEN(12),
  CONNINFO(13),
  BINDBUSY(14),
  STATFS(15);

  private static final LayerOp[] BY_CODE = new LayerOp[256];

  static {
    for (LayerOp op : values()) BY_CODE[op.code] = op;
  }

  public final int code;

  LayerOp(int code) {
    this.code = code;
  }

  /** The op for a wire byte, or null when the number is not in the table. */
  public static LayerOp of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
