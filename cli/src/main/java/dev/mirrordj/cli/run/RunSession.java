package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.layerbridge.LayerLibrary;
import dev.mirrordj.verticles.proxy.ProxySettings;
import dev.mirrordj.verticles.proxy.ProxyVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One `run`: layer extraction, agent connection, remote environment, proxy, the program, and
 * teardown. Returns the program's exit code; children still talking to the proxy when it exits are
 * served until internal_proxy.idle_timeout after the last one is gone.
 */
public final class RunSession {
  private static final Logger log = LoggerFactory.getLogger(RunSession.class);

  private final MirrordConfig config;
  private final Progress progress;
  private final AgentConnector connector;
  private final PrintStream err;
  private final Map<String, String> localEnv;
  private final Path cwd;
  private volatile boolean closing;

  public RunSession(
      MirrordConfig config,
      Progress progress,
      AgentConnector connector,
      PrintStream err,
      Map<String, String> localEnv,
      Path cwd) {
    this.config = config;
    this.progress = progress;
    this.connector = connector;
    this.err = err;
    this.localEnv = localEnv;
    this.cwd = cwd;
  }

  public int run(List<String> command) throws Exception {
    // --- seccomp layer (issue 11): which layer the program gets ---
    LayerChoice.Mode layerMode = LayerChoice.mode(null, localEnv);
    LayerChoice.Kind layerKind = LayerChoice.inspect(command, localEnv);
    if (!LayerChoice.wantsSeccomp(layerMode, layerKind)) warnings(command);
    SeccompRun seccomp = null;
    // --- end seccomp layer ---
    ProxyLogging.apply(config.internalProxy());
    Path library = extractLayer();
    Path sessionDir = Files.createTempDirectory("mirrordj-session-");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    AgentLink link = null;
    try {
      Progress connecting = progress.subtask("connecting to the agent");
      try {
        link = connector.connect(vertx, config, connecting);
      } catch (Exception e) {
        connecting.failure(null);
        throw e;
      }
      connecting.success(link.describe());
      AgentLink session = link;
      session
          .target()
          .lost()
          .onFailure(
              e -> {
                if (closing) return; // we ended the session ourselves
                err.println(
                    "mirrord: error: lost the connection to the agent ("
                        + e.getMessage()
                        + "); the program's remote file, network and DNS operations now fail with errors");
                err.flush();
              });

      boolean late = config.feature().env().loadFromProcess();
      Map<String, String> remoteEnv = late ? Map.of() : remoteEnvironment(session);
      ProxySettings settings =
          ProxySettings.from(config, ProxySettings.LocalFacts.current(sessionDir));
      ProxyVerticle proxy = new ProxyVerticle(settings, session.target(), sessionDir);
      vertx
          .deployVerticle(proxy)
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      proxy
          .idle()
          .onFailure(
              e -> {
                // start_idle_timeout: said whatever the progress mode, since the session is now
                // without the pod
                err.println(
                    "mirrord: "
                        + e.getMessage()
                        + "; the proxy stopped, so programs that load the layer"
                        + " from now on cannot reach the pod (their remote operations fail with EIO)");
                err.flush();
              });
      if (late) {
        // load_from_process: the program's layer fetches the variables when it starts
        proxy
            .handler()
            .onEnvironment(
                () ->
                    session
                        .environment()
                        .map(
                            pod ->
                                ProgramEnvironment.withoutUnset(
                                    ProgramEnvironment.remote(pod, config.feature().env()),
                                    config.feature().env())));
      }

      // incoming traffic (helper E): the program's listeners get the pod's connections
      session
          .agentClient()
          .ifPresent(
              client ->
                  dev.mirrordj.verticles.proxy.incoming.IncomingWiring.attach(
                      vertx,
                      proxy.handler(),
                      client,
                      config,
                      warning -> {
                        err.println(warning);
                        err.flush();
                      }));

      Map<String, String> env =
          ProgramEnvironment.build(
              localEnv,
              remoteEnv,
              config.feature().env(),
              config.useProxy(),
              library,
              proxy.socketPath(),
              sessionDir);
      if (late) env.put("MIRRORD_LAYER_LOAD_ENV", "1");
      // --- seccomp layer (issue 11): the launcher in front, the supervisor in this JVM ---
      seccomp =
          SeccompRun.startIfChosen(
              layerMode, layerKind, progress, vertx, proxy, session.target(), settings, sessionDir);
      List<String> launched = seccomp == null ? command : seccomp.command(command);
      if (seccomp != null) env = seccomp.environment(env, library);
      // --- end seccomp layer ---
      progress.success("Ready!");
      boolean subreaper = Descendants.becomeSubreaper();
      // our own helpers (a local agent) are children too; only processes adopted later count
      java.util.Set<Long> ours =
          ProcessHandle.current()
              .children()
              .map(ProcessHandle::pid)
              .collect(java.util.stream.Collectors.toSet());
      Process program;
      try {
        program = ProgramLauncher.start(launched, env, cwd);
      } catch (IOException e) {
        throw new RunFailure("cannot start " + command.get(0) + ": " + e.getMessage(), e);
      }
      int code = program.waitFor();
      serveLeftovers(proxy, subreaper, ours, code);
      return code;
    } finally {
      closing = true;
      if (seccomp != null) seccomp.close(); // seccomp layer (issue 11): written files go back first
      if (link != null) link.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      deleteTree(sessionDir);
    }
  }

  /**
   * Children that outlive the program keep being served: while any adopted descendant lives, and
   * then until the proxy is idle if layer connections are still open (internal_proxy.idle_timeout).
   */
  private static void serveLeftovers(
      ProxyVerticle proxy, boolean subreaper, java.util.Set<Long> ours, int code)
      throws InterruptedException {
    if (subreaper && !Descendants.live(ours).isEmpty()) {
      log.debug("program exited with {}; serving the processes it left behind", code);
      while (!Descendants.live(ours).isEmpty()) {
        Thread.sleep(
            50); // polling /proc: the kernel gives a subreaper no other notice short of SIGCHLD
      }
    }
    // the descendants are gone, so their layer connections close promptly; give the event loop a
    // moment
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (proxy.activeConnections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (proxy.activeConnections() > 0) {
      // held by something we cannot see (e.g. a process outside our tree): serve until idle
      try {
        proxy.idle().toCompletionStage().toCompletableFuture().get();
      } catch (java.util.concurrent.ExecutionException ignored) {
        // idle failure only means nobody ever connected
      }
    }
  }

  private void warnings(List<String> command) {
    if (!config.sipBinaries().isEmpty()) {
      progress.warning("sip_binaries is only used on macOS; ignored on Linux");
    }
    try {
      ElfLinkage.which(command.get(0), localEnv.get("PATH"))
          .ifPresent(
              p -> {
                try {
                  if (ElfLinkage.isStatic(p)) {
                    progress.warning(
                        p
                            + " is statically linked: the mirrord layer cannot load into it, so it"
                            + " runs with the pod's environment but without the pod's files, network, DNS and hostname"
                            + " (programs it starts still get the layer)");
                  } else if (GoProgram.isGo(p)) {
                    progress.warning(
                        p
                            + " is a Go program: Go opens files, connects sockets and reads the hostname"
                            + " with raw system calls the layer cannot see, so those stay local; the pod's environment,"
                            + " programs it starts, C code called through cgo and DNS when Go uses its cgo resolver"
                            + " (GODEBUG=netdns=cgo) do reach the pod");
                  }
                } catch (IOException e) {
                  log.debug("cannot inspect {}: {}", p, e.toString());
                }
              });
    } catch (RuntimeException e) {
      log.debug("static check skipped: {}", e.toString());
    }
  }

  private Path extractLayer() throws RunFailure {
    Progress extracting = progress.subtask("extracting layer");
    try {
      Path p = LayerLibrary.extract(LayerLibrary.defaultCacheRoot());
      extracting.success(null);
      return p;
    } catch (IOException e) {
      extracting.failure(null);
      throw new RunFailure("cannot extract the mirrord layer: " + e.getMessage(), e);
    }
  }

  private Map<String, String> remoteEnvironment(AgentLink link) throws Exception {
    Progress fetching = progress.subtask("fetching the remote environment");
    try {
      long timeout = Math.max(5, config.agent().communicationTimeout());
      Map<String, String> pod =
          link.environment()
              .toCompletionStage()
              .toCompletableFuture()
              .get(timeout, TimeUnit.SECONDS);
      Map<String, String> env = ProgramEnvironment.remote(pod, config.feature().env());
      fetching.success(env.size() + " variables");
      return env;
    } catch (Exception e) {
      fetching.failure(null);
      throw new RunFailure("cannot fetch the remote environment: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not remove {}: {}", dir, e.toString());
    }
  }
}
