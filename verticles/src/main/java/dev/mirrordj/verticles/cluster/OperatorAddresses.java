package dev.mirrordj.verticles.cluster;

/**
 * Event-bus addresses of the operator. The {@link ClusterVerticle} of each node answers its own
 * node's requests (local consumers) from the shared maps, so every node sees the same state; a
 * session's own address ({@link #sessionEnd}) is cluster-wide and reaches the node that holds its
 * connection. Bodies are {@code JsonObject}s (the clustered bus serializes them without extra
 * codecs); their fields are listed with each address.
 */
public final class OperatorAddresses {
  private OperatorAddresses() {}

  /**
   * Request: records a session. {@code id, user, display_name, target, on_concurrent_steal}. Fails
   * with 409 when the id is taken.
   */
  public static final String SESSION_OPEN = "mirrordj.operator.session.open";

  /** Request: forgets a session and releases its locks. {@code id}. */
  public static final String SESSION_CLOSE = "mirrordj.operator.session.close";

  /**
   * Request: a session wants to steal or mirror a port. {@code session, port, mode ("steal" |
   * "mirror"), filter ("" for none)}. Reply {@code outcome}: {@code granted}, {@code refused},
   * {@code continue} or {@code overrode}, with {@code message} for the user and, on a conflict,
   * {@code holder_session} and {@code holder_user}.
   */
  public static final String PORT_CLAIM = "mirrordj.operator.port.claim";

  /** Request: the session no longer uses the port. {@code session, port}. */
  public static final String PORT_RELEASE = "mirrordj.operator.port.release";

  /** Request: the status document (nodes, sessions, locks). */
  public static final String STATUS = "mirrordj.operator.status";

  /** Request: ends a session wherever it runs. {@code id}. Fails with 404 for an unknown id. */
  public static final String SESSION_KILL = "mirrordj.operator.session.kill";

  /**
   * Request to the node holding session {@code id}: end it now and tell the user {@code reason}.
   * Replied once the session's agent connection is closed.
   */
  public static String sessionEnd(String id) {
    return "mirrordj.operator.session.end." + id;
  }
}
