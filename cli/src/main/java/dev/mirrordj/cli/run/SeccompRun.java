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
 * answering with the proxy's handler. For a static or Go program the whole tree is supervised (the
 * filter is inherited by every child and survives exec), so the LD_PRELOAD layer is taken out of
 * its environment: one layer per tree, never two handling the same call.
 *
 * <p>For a dynamic program in auto mode the supervisor is only offered to its descendants: the
 * LD_PRELOAD layer starts a static or Go child it execs behind the launcher (the two variables
 * below), because that child would bypass LD_PRELOAD.
 */
public final class SeccompRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SeccompRun.class);

  /** Tells the LD_PRELOAD layer where the launcher is, for a static or Go child. */
  public static final String LAUNCHER_VARIABLE = "MIRRORD_SECCOMP_LAUNCHER";

  /** Tells the LD_PRELOAD layer where the supervisor listens, for a static or Go child. */
  public static final String SOCKET_VARIABLE = "MIRRORD_SECCOMP_SOCK";

  private final Path launcher;
  private final SeccompSupervisor supervisor;
  private final ProxySupervisedCalls calls;
  private final boolean wholeTree;

  private SeccompRun(
      Path launcher, SeccompSupervisor supervisor, ProxySupervisedCalls calls, boolean wholeTree) {
    this.launcher = launcher;
    this.supervisor = supervisor;
    this.calls = calls;
    this.wholeTree = wholeTree;
  }

  /** Which part of the program tree the seccomp layer serves, if any. */
  enum Scope {
    /** The LD_PRELOAD layer alone (forced). */
    NONE,
    /** The program and everything it starts. */
    WHOLE_TREE,
    /** Only static or Go programs started by the (LD_PRELOAD) program tree. */
    DESCENDANTS
  }

  static Scope scope(LayerChoice.Mode mode, LayerChoice.Kind kind) {
    if (LayerChoice.wantsSeccomp(mode, kind)) return Scope.WHOLE_TREE;
    return mode == LayerChoice.Mode.AUTO ? Scope.DESCENDANTS : Scope.NONE;
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
    Scope scope = scope(mode, kind);
    if (scope == Scope.NONE) return null;
    Path launcher;
    try {
      launcher = SeccompLauncher.extract(LayerLibrary.defaultCacheRoot());
    } catch (IOException e) {
      throw new RunFailure("cannot extract the seccomp launcher: " + e.getMessage(), e);
    }
    return start(
        scope,
        launcher,
        SeccompLauncher.probe(launcher),
        progress,
        vertx,
        proxy,
        remote,
        settings,
        sessionDir);
  }

  /** Starts the supervisor for the scope, after the kernel said whether it can. */
  static SeccompRun start(
      Scope scope,
      Path launcher,
      SeccompLauncher.Support support,
      Progress progress,
      Vertx vertx,
      ProxyVerticle proxy,
      RemoteTarget remote,
      ProxySettings settings,
      Path sessionDir)
      throws RunFailure {
    if (!support.usable()) {
      if (scope == Scope.WHOLE_TREE) {
        progress.warning(
            "the seccomp layer is not available here ("
                + support.detail()
                + "); using the LD_PRELOAD layer, which static and Go programs bypass");
      } else {
        // the program itself is served; only a static child it may start would not be
        log.debug("no seccomp layer for static children: {}", support.detail());
      }
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
      log.debug("seccomp layer ready for {} ({})", scope, support.detail());
      return new SeccompRun(launcher, s, calls, scope == Scope.WHOLE_TREE);
    } catch (IOException e) {
      throw new RunFailure("cannot start the seccomp supervisor: " + e.getMessage(), e);
    }
  }

  /** The program behind the launcher (as it is when only its descendants may need it). */
  public List<String> command(List<String> program) {
    if (!wholeTree) return program;
    List<String> out = new ArrayList<>();
    out.add(launcher.toString());
    out.add(supervisor.socketPath().toString());
    out.addAll(program);
    return out;
  }

  /**
   * For the whole tree: the environment without our LD_PRELOAD entry (a user's own preloads stay).
   * For descendants: the environment with the launcher and the supervisor's socket for the layer.
   */
  public Map<String, String> environment(Map<String, String> env, Path layerLibrary) {
    Map<String, String> out = new LinkedHashMap<>(env);
    if (!wholeTree) {
      out.put(LAUNCHER_VARIABLE, launcher.toString());
      out.put(SOCKET_VARIABLE, supervisor.socketPath().toString());
      return out;
    }
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
