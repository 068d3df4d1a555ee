package dev.mirrordj.layerbridge;

/** A layer frame that does not follow the protocol; closes that one connection. */
public class LayerProtocolException extends RuntimeException {
  public LayerProtocolException(String message) {
    super(message);
  }
}
