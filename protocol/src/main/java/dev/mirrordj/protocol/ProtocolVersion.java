package dev.mirrordj.protocol;

/**
 * The protocol version exchanged in {@link Control.Hello}. Peers with different majors refuse each
 * other; a higher minor only adds message types, which the lower side answers with ENOSYS.
 */
public final class ProtocolVersion {
  public static final int MAJOR = 1;
  public static final int MINOR = 0;

  /** "MRDJ": first four body bytes of Hello, so garbage is recognised before anything else. */
  public static final int MAGIC = 0x4D52444A;

  private ProtocolVersion() {}

  public static String text() {
    return MAJOR + "." + MINOR;
  }
}
