package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.layerbridge.LayerLibrary;
import dev.mirrordj.layerbridge.SeccompLauncher;
import dev.mirrordj.verticles.proxy.ProxySettings;
import dev.mirrordj.verticles.proxy.ProxyVerticle;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import dev.mirrordj.verticles.proxy.seccomp.ProxySupervisedCalls;
import dev.mirrordj.verticles.proxy.seccomp.SeccompSupervisor;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seccomp layer for one run: the launcher in front of the program, the supervisor in this JVM
 * answering with the proxy's handler. The whole program tree is supervised (the filter is inherited
 * by every child and survives exec), so the LD_PRELOAD layer is taken out of its environment: one
 * layer per tree, never two handling the same call.
 */
public final class SeccompRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SeccompRun.class);

  private final Path launcher;
  private final SeccompSupervisor supervisor;
  private final ProxySupervisedCalls calls;

  private SeccompRun(Path launcher, SeccompSupervisor supervisor, ProxySupervisedCalls calls) {
    this.launcher = launcher;
    this.supervisor = supervisor;
    this.calls = calls;
  }

  /**
   * Starts the supervisor when the program gets the seccomp layer; null when it gets the LD_PRELOAD
   * layer (chosen, or because this kernel cannot do it: then the user is told why).
   */
  public static SeccompRun startIfChosen(
      LayerChoice.Mode mode,
      LayerChoice.Kind kind,
      Progress progress,
      Vertx vertx,
      ProxyVerticle proxy,
      RemoteTarget remote,
      ProxySettings settings,
      Path sessionDir)
      throws RunFailure {
    if (!LayerChoice.wantsSeccomp(mode, kind)) return null;
    Path launcher;
    try {
      launcher = SeccompLauncher.extract(LayerLibrary.defaultCacheRoot());
    } catch (IOException e) {
      throw new RunFailure("cannot extract the seccomp launcher: " + e.getMessage(), e);
    }
    SeccompLauncher.Support support = SeccompLauncher.probe(launcher);
    if (!support.usable()) {
      progress.warning(
          "the seccomp layer is not available here ("
              + support.detail()
              + "); using the LD_PRELOAD layer, which static and Go programs bypass");
      return null;
    }
    if (!support.killableWait()) {
      log.debug("kernel without SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: signals may restart calls");
    }
    SeccompSupervisor.Observer keepsProxyBusy =
        new SeccompSupervisor.Observer() {
          @Override
          public void programStarted() {
            proxy.externalClientOpened();
          }

          @Override
          public void programGone() {
            proxy.externalClientClosed();
          }
        };
    ProxySupervisedCalls calls = new ProxySupervisedCalls(vertx, proxy.handler(), remote, settings);
    try {
      SeccompSupervisor s =
          SeccompSupervisor.start(
              sessionDir.resolve("seccomp.sock"),
              sessionDir.resolve("seccomp"),
              calls,
              keepsProxyBusy);
      log.debug("seccomp layer ready ({})", support.detail());
      return new SeccompRun(launcher, s, calls);
    } catch (IOException e) {
      throw new RunFailure("cannot start the seccomp supervisor: " + e.getMessage(), e);
    }
  }

  /** The program behind the launcher. */
  public List<String> command(List<String> program) {
    List<String> out = new ArrayList<>();
    out.add(launcher.toString());
    out.add(supervisor.socketPath().toString());
    out.addAll(program);
    return out;
  }

  /** The environment without our LD_PRELOAD entry (a user's own preloads stay). */
  public Map<String, String> environment(Map<String, String> env, Path layerLibrary) {
    Map<String, String> out = new LinkedHashMap<>(env);
    String pre = out.get("LD_PRELOAD");
    if (pre != null) {
      List<String> kept = new ArrayList<>();
      for (String p : pre.split("[: ]")) {
        if (!p.isEmpty() && !p.equals(layerLibrary.toString())) kept.add(p);
      }
      if (kept.isEmpty()) out.remove("LD_PRELOAD");
      else out.put("LD_PRELOAD", String.join(":", kept));
    }
    return out;
  }

  @Override
  public void close() {
    supervisor.close();
    calls.close();
  }
}
