package dev.mirrordj.verticles.proxy.seccomp;

import com.sun.jna.Memory;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/** uname: this machine's answer with the pod's hostname as the node name. */
final class HostCalls {
  private static final int FIELD = 65, UTSNAME_SIZE = 6 * FIELD;

  private final SupervisedCalls calls;
  private final Executor workers;

  HostCalls(SupervisedCalls calls, Executor workers) {
    this.calls = calls;
    this.workers = workers;
  }

  void uname(Listener l, Notification n) throws SupervisorException {
    if (!calls.remoteHostname()) {
      l.proceed(n.id());
      return;
    }
    int pid = TargetProcess.tgid(n.tid());
    Reply.when(
        calls.handle(pid, new LayerRequest.Hostname()),
        workers,
        l,
        n,
        r -> {
          if (Reply.common(l, n, r)) return;
          if (!(r instanceof LayerReply.Name name))
            throw new SupervisorException(5, "unexpected answer to hostname: " + r);
          byte[] uts;
          try (Memory m = new Memory(UTSNAME_SIZE)) {
            Libc.uname(m);
            uts = m.getByteArray(0, UTSNAME_SIZE);
          }
          byte[] host = name.name().getBytes(StandardCharsets.UTF_8);
          java.util.Arrays.fill(uts, FIELD, 2 * FIELD, (byte) 0);
          System.arraycopy(host, 0, uts, FIELD, Math.min(host.length, FIELD - 1));
          TargetProcess.write(n.tid(), n.args()[0], uts);
          l.returnValue(n.id(), 0);
        });
  }
}
