package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.msg.LayerReply;
import io.vertx.core.Future;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a notification once the proxy answered: the answer is applied on a worker thread (it
 * may block briefly, e.g. a connect on the program's socket), and every failure becomes an errno
 * for the program, never a call left waiting.
 */
final class Reply {
  private static final Logger log = LoggerFactory.getLogger(Reply.class);
  private static final int EIO = 5;

  /** Applies a proxy answer to the waiting call. */
  interface Action {
    void apply(LayerReply reply) throws SupervisorException;
  }

  private Reply() {}

  static void when(
      Future<LayerReply> answer,
      Executor workers,
      Listener listener,
      Notification n,
      Action action) {
    answer.onComplete(
        ar ->
            workers.execute(
                () -> {
                  if (ar.failed()) {
                    log.debug("call {} of {} failed: {}", n.nr(), n.tid(), ar.cause().toString());
                    listener.fail(n.id(), EIO);
                    return;
                  }
                  run(listener, n, () -> action.apply(ar.result()));
                }));
  }

  /** Runs a step of serving {@code n}; its failure answers the call with the errno. */
  static void run(Listener listener, Notification n, Step step) {
    try {
      step.run();
    } catch (SupervisorException e) {
      log.debug("call {} of {}: {} (errno {})", n.nr(), n.tid(), e.getMessage(), e.errno());
      listener.fail(n.id(), e.errno());
    } catch (RuntimeException e) {
      log.warn("call {} of {} failed: {}", n.nr(), n.tid(), e.toString());
      listener.fail(n.id(), EIO);
    }
  }

  /** One step that may fail with an errno. */
  interface Step {
    void run() throws SupervisorException;
  }

  /** The usual answers: local means the kernel runs the call; an errno fails it. */
  static boolean common(Listener listener, Notification n, LayerReply reply) {
    if (reply instanceof LayerReply.Local) {
      listener.proceed(n.id());
      return true;
    }
    if (reply instanceof LayerReply.Errno e) {
      listener.fail(n.id(), e.errno());
      return true;
    }
    return false;
  }
}
