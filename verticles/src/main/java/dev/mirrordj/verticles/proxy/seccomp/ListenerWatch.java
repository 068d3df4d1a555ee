package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when a listener reported to the proxy is gone, the way the LD_PRELOAD layer's close hook
 * does on the last close. The filter does not send close(2) (a round trip on every close of every
 * descriptor would cost far more than it saves), so the watch asks the kernel instead: a listening
 * TCP socket is in the process's /proc/net/tcp{,6} exactly as long as some descriptor (the
 * program's or a child's) holds it. Polled by the supervisor's sweeper.
 */
final class ListenerWatch {
  private static final Logger log = LoggerFactory.getLogger(ListenerWatch.class);
  private static final String LISTEN_STATE = "0A";

  private record Watched(int pid, SockAddr address, Runnable onGone) {}

  private final SupervisedCalls calls;
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();

  ListenerWatch(SupervisedCalls calls) {
    this.calls = calls;
  }

  /** Watches {@code socket} ("socket:[inode]"), reported by {@code pid} as listening on address. */
  void track(String socket, int pid, SockAddr address, Runnable onGone) {
    watched.put(inode(socket), new Watched(pid, address, onGone));
  }

  /** Sends Unlisten for the listeners whose last descriptor was closed. */
  void sweep() {
    if (watched.isEmpty()) return;
    for (Map.Entry<String, Watched> e : List.copyOf(watched.entrySet())) {
      Watched w = e.getValue();
      Path proc = Path.of("/proc", Integer.toString(w.pid()));
      Set<String> listening = listeningInodes(proc);
      if (listening == null) {
        // the process is gone: the proxy releases its listeners as for a closed layer
        watched.remove(e.getKey(), w);
        w.onGone().run();
        continue;
      }
      if (listening.contains(e.getKey()) || !watched.remove(e.getKey(), w)) continue;
      w.onGone().run();
      log.debug("listener {} of pid {} closed", w.address(), w.pid());
      calls
          .handle(w.pid(), new LayerRequest.Unlisten(w.address()))
          .onFailure(x -> log.warn("unlisten {} failed: {}", w.address(), x.toString()));
    }
  }

  /** Listeners being watched (tests and diagnostics). */
  int size() {
    return watched.size();
  }

  /** The inodes of the listening TCP sockets in the process's network namespace, null if gone. */
  private static Set<String> listeningInodes(Path proc) {
    Set<String> inodes = new HashSet<>();
    try {
      for (String table : List.of("net/tcp", "net/tcp6")) {
        List<String> lines;
        try {
          lines = Files.readAllLines(proc.resolve(table));
        } catch (java.nio.file.NoSuchFileException e) {
          if (!Files.exists(proc)) return null;
          continue; // no IPv6 in this namespace
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          String[] f = line.trim().split("\\s+");
          // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
          if (f.length > 9 && LISTEN_STATE.equals(f[3])) inodes.add(f[9]);
        }
      }
    } catch (IOException e) {
      return Files.exists(proc) ? inodes : null;
    }
    return inodes;
  }

  private static String inode(String socket) {
    int open = socket.indexOf('['), close = socket.indexOf(']');
    return open >= 0 && close > open ? socket.substring(open + 1, close) : socket;
  }
}
