package dev.mirrordj.agent;

import dev.mirrordj.agent.ns.Namespaces;
import dev.mirrordj.sys.LibC;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The target's hostname from its UTS namespace (not from a file in its root, which may differ from
 * what gethostname(2) returns in the pod). A short-lived thread joins the UTS namespace, asks, and
 * dies, so no agent thread is left with a foreign hostname.
 */
public final class HostnameReader {
  private final Long pid;

  public HostnameReader(Long pid) {
    this.pid = pid;
  }

  /** Blocking; call off the event loop. */
  public String read() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                if (pid != null) {
                  Namespaces.enter(pid, "uts");
                }
                byte[] buf = new byte[256];
                LibC.INSTANCE.gethostname(buf, buf.length);
                int len = 0;
                while (len < buf.length && buf[len] != 0) {
                  len++;
                }
                result.complete(new String(buf, 0, len, StandardCharsets.UTF_8));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "uts-" + pid);
    t.setDaemon(true);
    t.start();
    return result.get();
  }
}
