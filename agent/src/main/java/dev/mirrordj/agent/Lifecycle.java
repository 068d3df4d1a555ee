package dev.mirrordj.agent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the agent ends: no first client within the communication timeout, no clients for
 * idle-ttl after the last one left, or the target process gone. All calls on the control context.
 */
public final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
  private static final long TARGET_POLL_MS = 200;

  private final Vertx vertx;
  private final Target target;
  private final Duration idleTtl;
  private final Promise<AgentExit> exit = Promise.promise();
  private int clients;
  private boolean everConnected;
  private long idleTimer = -1;

  public Lifecycle(Vertx vertx, Target target, Duration communicationTimeout, Duration idleTtl) {
    this.vertx = vertx;
    this.target = target;
    this.idleTtl = idleTtl;
    vertx.setTimer(
        Math.max(1, communicationTimeout.toMillis()),
        t -> {
          if (!everConnected) {
            end(
                AgentExit.Reason.NO_FIRST_CLIENT,
                "no client connected within the communication timeout of "
                    + communicationTimeout.toSeconds()
                    + " s");
          }
        });
    if (!target.isTargetless()) {
      vertx.setPeriodic(
          TARGET_POLL_MS,
          t -> {
            if (!target.isAlive()) {
              end(AgentExit.Reason.TARGET_EXITED, "target " + target.describe() + " exited");
            }
          });
    }
  }

  public Future<AgentExit> exit() {
    return exit.future();
  }

  public int clients() {
    return clients;
  }

  /**
   * A connection was accepted: while it is open the agent does not go idle, but it is not a client
   * until {@link #clientGreeted()} (secret proven, HELLO accepted).
   */
  public void connectionOpened() {
    clients++;
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  /** The connection's peer became a client: the first-client wait is over. */
  public void clientGreeted() {
    everConnected = true;
  }

  /**
   * A connection closed. The idle countdown starts when the last one goes and a real client has
   * been here; a refused or silent connection alone leaves the agent waiting for its first client
   * (within the communication timeout), as before that connection came.
   */
  public void connectionClosed() {
    clients--;
    if (clients == 0 && everConnected) {
      idleTimer =
          vertx.setTimer(
              Math.max(1, idleTtl.toMillis()),
              t -> {
                if (clients == 0) {
                  end(
                      AgentExit.Reason.IDLE,
                      "last client left and idle-ttl of " + idleTtl.toSeconds() + " s passed");
                }
              });
    }
  }

  /** Ends the agent for the given reason; the first reason wins. */
  public void end(AgentExit.Reason reason, String detail) {
    if (exit.tryComplete(new AgentExit(reason, detail))) {
      log.info("agent exiting: {} ({})", detail, reason);
    }
  }
}
