package dev.mirrordj.agent.incoming.redirect;

/** Installing, removing or inspecting redirect rules failed. */
public class RedirectException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RedirectException(String message) {
    super(message);
  }
}
