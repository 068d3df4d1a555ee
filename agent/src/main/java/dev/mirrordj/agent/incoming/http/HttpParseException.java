package dev.mirrordj.agent.incoming.http;

/** Malformed HTTP/1 on a stolen connection; closes that connection only. */
public class HttpParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HttpParseException(String message) {
    super(message);
  }
}
