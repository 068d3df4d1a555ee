package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.BusProgress;
import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.cli.progress.ProgressMode;
import dev.mirrordj.cli.progress.ProgressVerticle;
import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.config.InvalidConfigException;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.PortPair;
import dev.mirrordj.layerbridge.LayerLibrary;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.bus.Codecs;
import dev.mirrordj.verticles.config.ConfigRequest;
import dev.mirrordj.verticles.config.ConfigVerticle;
import dev.mirrordj.verticles.proxy.ProxySettings;
import dev.mirrordj.verticles.proxy.ProxyVerticle;
import dev.mirrordj.verticles.proxy.incoming.IncomingSettings;
import dev.mirrordj.verticles.proxy.incoming.IncomingVerticle;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One `run`: the session's verticles, the program, and teardown. Returns the program's exit code;
 * children still talking to the proxy when it exits are served until internal_proxy.idle_timeout
 * after the last one is gone.
 *
 * <p>The verticles are deployed by one chain, each after the one it needs: {@link ProgressVerticle}
 * (what the user sees), {@link ConfigVerticle} (file, environment and flags), {@link
 * AgentLinkVerticle} (the agent connection), {@link ProxyVerticle} (the layers) and, while incoming
 * traffic is on and the agent speaks it, {@link IncomingVerticle}. They talk over the addresses in
 * {@link Addresses}; the main thread waits once, for the chain's outcome, and then runs the
 * program.
 */
public final class RunSession {
  private static final Logger log = LoggerFactory.getLogger(RunSession.class);
  private static final String ROOT_TASK = "mirrord preparing to launch";

  private final ConfigRequest configRequest;
  private final ProgressMode mode;
  private final AgentConnector connector;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> localEnv;
  private final Path cwd;

  /**
   * What the chain hands the main thread: everything the program's start needs.
   *
   * @param launched the command to start (the program, or the seccomp launcher in front of it)
   * @param library the LD_PRELOAD layer on disk
   * @param seccomp the seccomp layer's supervisor, or null when the program gets LD_PRELOAD
   */
  /**
   * What the program is started with; {@code agent} is the proxy's path to the agent, which the
   * seccomp supervisor shares.
   */
  private record Ready(
      ProxyVerticle proxy,
      RemoteTarget agent,
      Map<String, String> env,
      List<String> launched,
      Path library,
      SeccompRun seccomp) {}

  public RunSession(
      ConfigRequest configRequest,
      ProgressMode mode,
      AgentConnector connector,
      PrintStream out,
      PrintStream err,
      Map<String, String> localEnv,
      Path cwd) {
    this.configRequest = configRequest;
    this.mode = mode;
    this.connector = connector;
    this.out = out;
    this.err = err;
    this.localEnv = localEnv;
    this.cwd = cwd;
  }

  public int run(List<String> command) throws Exception {
    // which layer the program gets: LD_PRELOAD, or the seccomp layer for static and Go programs
    LayerChoice.Mode layerMode = LayerChoice.mode(null, localEnv);
    LayerChoice.Kind layerKind = LayerChoice.inspect(command, localEnv);
    Path sessionDir = Files.createTempDirectory("mirrordj-session-");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Codecs.register(vertx);
    Ready ready = null;
    try {
      ready =
          SessionStart.await(
              start(vertx, command, sessionDir, layerMode, layerKind, r -> "Ready!"));
      boolean subreaper = Descendants.becomeSubreaper();
      // our own helpers (a local agent) are children too; only processes adopted later count
      Set<Long> ours =
          ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
      Process program;
      try {
        program = ProgramLauncher.start(ready.launched(), ready.env(), cwd);
      } catch (IOException e) {
        throw new RunFailure("cannot start " + command.get(0) + ": " + e.getMessage(), e);
      }
      SessionEnd ended = SessionEnd.watch(vertx.eventBus(), program, ours, err);
      int code = program.waitFor();
      if (ended.happened()) {
        ended.stopLeftovers();
        return SessionEnd.EXIT_CODE;
      }
      serveLeftovers(ready.proxy(), subreaper, ours, code);
      return code;
    } finally {
      // the seccomp layer's written files go back to the pod before the agent link closes
      if (ready != null && ready.seccomp() != null) ready.seccomp().close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      deleteTree(sessionDir);
    }
  }

  /**
   * {@code ext}: prepares the session exactly as for a program given the LD_PRELOAD layer, but
   * starts none: the root task's success message is {@code readyMessage} applied to the program
   * environment, for an IDE to start its own process with. Then serves that process (and any other
   * that loads the layer) until the proxy is idle.
   *
   * @param executable the program the IDE will start, for the warnings about it (may be empty)
   * @return 0 once the session went idle after its processes ended; 1 when none connected within
   *     internal_proxy.start_idle_timeout (the user was told)
   */
  public int serveExternalProgram(
      List<String> executable, Function<Map<String, String>, String> readyMessage)
      throws Exception {
    Path sessionDir = Files.createTempDirectory("mirrordj-session-");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Codecs.register(vertx);
    // the IDE's own stop (SIGTERM) still ends the agent link and a local agent
    Thread closer = new Thread(() -> closeQuietly(vertx), "mirrord-ext-shutdown");
    Runtime.getRuntime().addShutdownHook(closer);
    try {
      Ready ready =
          SessionStart.await(
              start(
                  vertx,
                  executable,
                  sessionDir,
                  LayerChoice.Mode.PRELOAD,
                  LayerChoice.Kind.UNKNOWN,
                  r -> readyMessage.apply(r.env())));
      try {
        ready.proxy().idle().toCompletionStage().toCompletableFuture().get();
        return 0;
      } catch (ExecutionException noLayerInTime) {
        return 1;
      }
    } finally {
      closeQuietly(vertx);
      try {
        Runtime.getRuntime().removeShutdownHook(closer);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
      deleteTree(sessionDir);
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("closing the session: {}", e.toString());
    }
  }

  /** The deployment chain; it fails with the reason the user reads, progress already rendered. */
  private Future<Ready> start(
      Vertx vertx,
      List<String> command,
      Path sessionDir,
      LayerChoice.Mode layerMode,
      LayerChoice.Kind layerKind,
      Function<Ready, String> readyMessage) {
    boolean seccomp = LayerChoice.wantsSeccomp(layerMode, layerKind);
    EventBus bus = vertx.eventBus();
    Progress progress = BusProgress.root(bus);
    return SessionStart.configured(vertx, mode, ROOT_TASK, configRequest, out, err)
        .compose(
            resolved -> {
              resolved.warnings().forEach(progress::warning);
              MirrordConfig config = resolved.config();
              return vertx
                  .executeBlocking(() -> prepare(config, command, progress, seccomp), false)
                  .compose(
                      library -> connect(vertx, config, progress, library, sessionDir, command))
                  .compose(
                      ready ->
                          SeccompRun.scope(layerMode, layerKind) != SeccompRun.Scope.NONE
                              ? withSeccomp(
                                  vertx,
                                  config,
                                  ready,
                                  command,
                                  progress,
                                  layerMode,
                                  layerKind,
                                  sessionDir)
                              : Future.succeededFuture(ready));
            })
        .compose(
            ready -> {
              progress.success(readyMessage.apply(ready));
              return SessionStart.flush(bus).map(ready);
            })
        .recover(
            e -> {
              if (e instanceof InvalidConfigException) progress.failure("invalid configuration");
              else if (e instanceof RunFailure) progress.failure(null); // the error line says why
              return SessionStart.flush(bus).transform(ar -> Future.failedFuture(e));
            });
  }

  /** Warnings about the program, the proxy's log file, the layer on disk (blocking file work). */
  private Path prepare(
      MirrordConfig config, List<String> command, Progress progress, boolean seccomp)
      throws RunFailure {
    // the static/Go warnings say what LD_PRELOAD cannot reach; the seccomp layer reaches it
    if (!seccomp && !command.isEmpty()) warnings(config, command, progress);
    else if (!config.sipBinaries().isEmpty()) {
      progress.warning("sip_binaries is only used on macOS; ignored on Linux");
    }
    ProxyLogging.apply(config.internalProxy());
    return extractLayer(progress);
  }

  private Future<Ready> connect(
      Vertx vertx,
      MirrordConfig config,
      Progress progress,
      Path library,
      Path sessionDir,
      List<String> command) {
    EventBus bus = vertx.eventBus();
    boolean late = config.feature().env().loadFromProcess();
    return vertx
        .deployVerticle(new AgentLinkVerticle(connector))
        .compose(id -> bus.<Messages.AgentHandle>request(Addresses.LOCAL_AGENT_HANDLE, null))
        .compose(
            handle ->
                (late
                        ? Future.succeededFuture(Map.<String, String>of())
                        : remoteEnvironment(bus, config, progress))
                    .compose(
                        remoteEnv -> {
                          ProxyVerticle proxy =
                              new ProxyVerticle(
                                  ProxySettings.from(
                                      config, ProxySettings.LocalFacts.current(sessionDir)),
                                  handle.body().target(),
                                  sessionDir);
                          return vertx
                              .deployVerticle(proxy)
                              .compose(id -> incoming(vertx, config, handle.body()))
                              .map(
                                  v -> {
                                    Map<String, String> env =
                                        ProgramEnvironment.build(
                                            localEnv,
                                            remoteEnv,
                                            config.feature().env(),
                                            config.useProxy(),
                                            library,
                                            proxy.socketPath(),
                                            sessionDir);
                                    // load_from_process: the layer fetches the variables when the
                                    // program starts
                                    if (late) env.put("MIRRORD_LAYER_LOAD_ENV", "1");
                                    return new Ready(
                                        proxy, handle.body().target(), env, command, library, null);
                                  });
                        }));
  }

  /**
   * The seccomp layer for a static or Go program: the supervisor in this JVM answers its system
   * calls with the proxy's own policy, and the launcher in front of it hands the supervisor its
   * listener. Falls back to LD_PRELOAD (with a warning) where the kernel cannot do it. For a
   * dynamic program in auto mode the supervisor waits for static or Go children the LD_PRELOAD
   * layer starts behind the launcher.
   */
  private Future<Ready> withSeccomp(
      Vertx vertx,
      MirrordConfig config,
      Ready ready,
      List<String> command,
      Progress progress,
      LayerChoice.Mode layerMode,
      LayerChoice.Kind layerKind,
      Path sessionDir) {
    return vertx.executeBlocking(
        () -> {
          ProxySettings settings =
              ProxySettings.from(config, ProxySettings.LocalFacts.current(sessionDir));
          SeccompRun run =
              SeccompRun.startIfChosen(
                  layerMode,
                  layerKind,
                  progress,
                  vertx,
                  ready.proxy(),
                  ready.agent(),
                  settings,
                  sessionDir);
          if (run == null) return ready;
          return new Ready(
              ready.proxy(),
              ready.agent(),
              run.environment(ready.env(), ready.library()),
              run.command(command),
              ready.library(),
              run);
        },
        false);
  }

  /** Incoming traffic, unless it is off or the agent connection cannot carry it. */
  private static Future<Void> incoming(
      Vertx vertx, MirrordConfig config, Messages.AgentHandle agent) {
    IncomingSettings settings = IncomingSettings.from(config);
    if (settings.mode() == IncomingMode.OFF || !agent.incoming()) {
      return Future.succeededFuture();
    }
    Map<Integer, Integer> listenPorts =
        config.feature().network().incoming().listenPorts().stream()
            .collect(Collectors.toUnmodifiableMap(PortPair::first, PortPair::second));
    return vertx.deployVerticle(new IncomingVerticle(settings, listenPorts)).mapEmpty();
  }

  private static Future<Map<String, String>> remoteEnvironment(
      EventBus bus, MirrordConfig config, Progress progress) {
    Progress fetching = progress.subtask("fetching the remote environment");
    long timeout = Math.max(5, config.agent().communicationTimeout());
    return bus.<Messages.PodEnvironment>request(
            Addresses.AGENT_ENVIRONMENT,
            null,
            new DeliveryOptions().setSendTimeout(TimeUnit.SECONDS.toMillis(timeout)))
        .map(m -> m.body().variables())
        .onSuccess(env -> fetching.success(env.size() + " variables"))
        .recover(
            e -> {
              fetching.failure(null);
              return Future.failedFuture(
                  new RunFailure("cannot fetch the remote environment: " + e.getMessage(), e));
            });
  }

  /**
   * Children that outlive the program keep being served: while any adopted descendant lives, and
   * then until the proxy is idle if layer connections are still open (internal_proxy.idle_timeout).
   */
  private static void serveLeftovers(
      ProxyVerticle proxy, boolean subreaper, Set<Long> ours, int code)
      throws InterruptedException {
    if (subreaper && !Descendants.live(ours).isEmpty()) {
      log.debug("program exited with {}; serving the processes it left behind", code);
      while (!Descendants.live(ours).isEmpty()) {
        // polling /proc: the kernel gives a subreaper no other notice short of SIGCHLD
        Thread.sleep(50);
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
      } catch (ExecutionException ignored) {
        // idle failure only means nobody ever connected
      }
    }
  }

  private void warnings(MirrordConfig config, List<String> command, Progress progress) {
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

  private static Path extractLayer(Progress progress) throws RunFailure {
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

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not remove {}: {}", dir, e.toString());
    }
  }
}
