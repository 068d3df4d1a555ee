package dev.mirrordj.cli;

import dev.mirrordj.agent.AgentExit;
import dev.mirrordj.agent.AgentOptions;
import dev.mirrordj.agent.AgentWorker;
import dev.mirrordj.agent.guard.AgentGuard;
import dev.mirrordj.agent.guard.WorkerClassCache;
import dev.mirrordj.agent.incoming.redirect.WorkerExitCleanup;
import dev.mirrordj.agent.runtime.ContainerInfo;
import dev.mirrordj.agent.runtime.ContainerRuntimeResolver;
import dev.mirrordj.protocol.ContainerRuntime;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mirrord agent}: the guard process, which starts the worker (this command again with the
 * hidden {@code --worker}) and relays its {@code agent ready - version <v>} line.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Run the agent next to a target process (or targetless) and serve mirrordj clients.")
public final class AgentCommand implements Callable<Integer> {

  @Option(
      names = "--listen",
      paramLabel = "ADDR",
      description =
          "Address to listen on (default: all interfaces of the agent's own network namespace).")
  String listen;

  @Option(
      names = "--port",
      required = true,
      paramLabel = "N",
      description = "TCP port to listen on.")
  int port;

  @Option(
      names = "--communication-timeout",
      paramLabel = "S",
      defaultValue = "30",
      description =
          "Seconds to wait for the first client before exiting (default: ${DEFAULT-VALUE}).")
  int communicationTimeout;

  @Option(
      names = "--idle-ttl",
      paramLabel = "S",
      defaultValue = "0",
      description = "Seconds to stay up after the last client left (default: ${DEFAULT-VALUE}).")
  int idleTtl;

  @ArgGroup(exclusive = true, multiplicity = "1")
  TargetChoice target;

  /** Exactly one of a target pid, a container, or targetless mode. */
  static final class TargetChoice {
    @Option(
        names = "--target-pid",
        paramLabel = "PID",
        description = "Process whose namespaces the agent serves.")
    Long pid;

    @Option(
        names = "--container-id",
        paramLabel = "ID",
        description =
            "Container whose main process is the target (looked up with --container-runtime).")
    String containerId;

    @Option(names = "--targetless", description = "Serve from the agent's own namespaces.")
    boolean targetless;
  }

  @Option(
      names = "--container-runtime",
      paramLabel = "RUNTIME",
      defaultValue = "containerd",
      description =
          "Runtime to ask for --container-id: containerd, docker or cri-o (default: ${DEFAULT-VALUE}).")
  String containerRuntime;

  private List<String> runtimeEnv = List.of();

  @Option(
      names = "--worker",
      hidden = true,
      description = "Internal: run as the worker under a guard.")
  boolean worker;

  @Option(
      names = "--clean-leftover-rules",
      defaultValue = "${env:MIRRORD_AGENT_CLEAN_IPTABLES_ON_START:-false}",
      description =
          "Remove redirect chains (MIRRORDJ_*) that a killed agent left in the target before starting; "
              + "without it the agent refuses to start when it finds them (env MIRRORD_AGENT_CLEAN_IPTABLES_ON_START).")
  boolean cleanLeftoverRules;

  // agent.* options the agent pod carries as environment variables (kube AgentCommandLine): each
  // option defaults from its variable, so `agent` in the image and `agent --flag` on a shell agree
  @Option(
      names = "--nftables",
      paramLabel = "BOOL",
      arity = "1",
      defaultValue = "${env:MIRRORD_AGENT_NFTABLES}",
      description =
          "agent.nftables: redirect with iptables-nft (true) or iptables-legacy (false); detected when unset "
              + "(env MIRRORD_AGENT_NFTABLES).")
  Boolean nftables;

  @Option(
      names = "--network-interface",
      paramLabel = "IF",
      defaultValue = "${env:MIRRORD_AGENT_NETWORK_INTERFACE}",
      description =
          "agent.network_interface: interface to capture mirrored traffic on (default: the target's default "
              + "route, else eth0; env MIRRORD_AGENT_NETWORK_INTERFACE).")
  String networkInterface;

  @Option(
      names = "--log-level",
      paramLabel = "SPEC",
      defaultValue = "${env:MIRRORD_AGENT_LOG_LEVEL}",
      description =
          "agent.log_level: LEVEL or TARGET=LEVEL,... as RUST_LOG (mirrord = dev.mirrordj; "
              + "env MIRRORD_AGENT_LOG_LEVEL).")
  String logLevel;

  @Option(
      names = "--json-log",
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "${env:MIRRORD_AGENT_JSON_LOG:-false}",
      description =
          "agent.json_log: one JSON object per log line on stderr (env MIRRORD_AGENT_JSON_LOG).")
  boolean jsonLog;

  @Option(
      names = "--flush-connections",
      paramLabel = "BOOL",
      arity = "1",
      defaultValue = "${env:MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS}",
      description =
          "agent.flush_connections: reset connections established before a steal starts; unset = as "
              + "each client asks (env MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS).")
  Boolean flushConnections;

  @Option(
      names = "--dns-timeout",
      paramLabel = "S",
      defaultValue = "${env:MIRRORD_AGENT_DNS_TIMEOUT}",
      description =
          "agent.dns.timeout: seconds per DNS query attempt (default: the target's resolv.conf; "
              + "env MIRRORD_AGENT_DNS_TIMEOUT).")
  Integer dnsTimeout;

  @Option(
      names = "--dns-attempts",
      paramLabel = "N",
      defaultValue = "${env:MIRRORD_AGENT_DNS_ATTEMPTS}",
      description =
          "agent.dns.attempts: DNS query attempts per name server (default: the target's resolv.conf; "
              + "env MIRRORD_AGENT_DNS_ATTEMPTS).")
  Integer dnsAttempts;

  @Override
  public Integer call() throws Exception {
    dev.mirrordj.cli.agentlog.AgentLogConfig.apply(logLevel, jsonLog);
    if (target.containerId != null) {
      // the guard asks the runtime once and hands the worker a plain pid (and knows it for cleanup)
      ContainerInfo info =
          ContainerRuntimeResolver.resolveBlocking(
              ContainerRuntime.fromName(containerRuntime),
              target.containerId,
              ContainerRuntimeResolver.hostRoot(System.getenv()),
              Duration.ofSeconds(30));
      target.pid = (long) info.pid();
      target.containerId = null;
      runtimeEnv = info.env();
    } else if (worker && System.getenv(RUNTIME_ENV_VARIABLE) != null) {
      runtimeEnv = decodeEnv(System.getenv(RUNTIME_ENV_VARIABLE));
    }
    dev.mirrordj.protocol.auth.SharedSecret secret;
    try {
      // from the environment only (the worker inherits it): a command line is visible to anyone
      // who can list processes or pods
      secret =
          dev.mirrordj.protocol.auth.SharedSecret.fromEnvironment(
                  System.getenv(), dev.mirrordj.protocol.auth.SharedSecret.AGENT_VARIABLE)
              .orElse(null);
    } catch (IllegalArgumentException e) {
      System.err.println("mirrordj agent: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    AgentOptions options =
        new AgentOptions(
            listen,
            port,
            Duration.ofSeconds(communicationTimeout),
            Duration.ofSeconds(idleTtl),
            target.pid,
            VersionProvider.version(),
            runtimeEnv,
            secret);
    if (worker) {
      return runWorker(options);
    }
    if (target.pid != null) {
      // however the worker ended, take our redirect rules out of the target's netns; if the target
      // is gone, its namespace (and every rule in it) went with it
      Path netns = Path.of("/proc/" + target.pid + "/ns/net");
      try {
        dev.mirrordj.agent.incoming.redirect.LeftoverRules.checkOnStart(
            new dev.mirrordj.agent.incoming.redirect.CommandRunner(netns), cleanLeftoverRules);
      } catch (dev.mirrordj.agent.incoming.redirect.LeftoverRules.LeftoverRulesException e) {
        System.err.println("mirrordj agent: " + e.getMessage());
        return 1;
      }
      AgentGuard.registerCleanup(
          () -> {
            if (java.nio.file.Files.exists(netns)) {
              WorkerExitCleanup.afterWorkerExit(netns);
            }
          });
    }
    WorkerClassCache classCache =
        WorkerClassCache.forClassPath(System.getProperty("java.class.path"), System.getenv());
    AgentGuard.registerCleanup(classCache::workerExited);
    return new AgentGuard(workerCommand(classCache), System.out, workerEnv()).run();
  }

  /**
   * The worker's entry point. The guard writes the worker's command line itself, so a plain parser
   * reads it: picocli's reflection and every other subcommand (with their libraries) would be a
   * good part of the worker's start-up, which is on the path to the ready line.
   */
  public static void main(String[] args) {
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    AgentCommand command;
    try {
      command = workerFromArgs(args);
    } catch (IllegalArgumentException e) {
      System.err.println("mirrord agent worker: " + e.getMessage());
      System.exit(ExitCodes.USAGE);
      return;
    }
    int code;
    try {
      code = command.call();
    } catch (Exception e) {
      System.err.println(
          "mirrord: error: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      code = ExitCodes.FAILURE;
    }
    System.exit(code);
  }

  /** Parses exactly what {@link #workerCommand} writes. */
  static AgentCommand workerFromArgs(String[] args) {
    AgentCommand c = new AgentCommand();
    c.target = new TargetChoice();
    c.communicationTimeout = 30;
    boolean sawPort = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--worker" -> c.worker = true;
        case "--targetless" -> c.target.targetless = true;
        case "--json-log=true", "--json-log=false" -> c.jsonLog = a.endsWith("true");
        case "--log-level" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          c.logLevel = args[++i];
        }
        case "--port", "--communication-timeout", "--idle-ttl", "--listen", "--target-pid" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          String v = args[++i];
          try {
            switch (a) {
              case "--port" -> {
                c.port = Integer.parseInt(v);
                sawPort = true;
              }
              case "--communication-timeout" -> c.communicationTimeout = Integer.parseInt(v);
              case "--idle-ttl" -> c.idleTtl = Integer.parseInt(v);
              case "--listen" -> c.listen = v;
              default -> c.target.pid = Long.parseLong(v);
            }
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(a + " needs a number, got '" + v + "'");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "unexpected argument '"
                    + a
                    + "' (this entry point only runs"
                    + " the agent worker; use `mirrord agent`)");
      }
    }
    if (!c.worker || !sawPort || (c.target.pid == null) == !c.target.targetless) {
      throw new IllegalArgumentException(
          "expected --worker --port N and one of --target-pid PID / --targetless");
    }
    return c;
  }

  /** Hands the runtime's view of the container environment from the guard to the worker. */
  static final String RUNTIME_ENV_VARIABLE = "MIRRORDJ_AGENT_RUNTIME_ENV";

  static String encodeEnv(List<String> env) {
    return java.util.Base64.getEncoder()
        .encodeToString(String.join("\0", env).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static List<String> decodeEnv(String encoded) {
    String joined =
        new String(
            java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
    return joined.isEmpty() ? List.of() : List.of(joined.split("\0"));
  }

  /** DnsResolver reads agent.dns.* from the environment, so options given as flags travel there. */
  private java.util.Map<String, String> workerEnv() {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    if (!runtimeEnv.isEmpty()) {
      env.put(RUNTIME_ENV_VARIABLE, encodeEnv(runtimeEnv));
    }
    if (dnsTimeout != null) {
      env.put("MIRRORD_AGENT_DNS_TIMEOUT", String.valueOf(dnsTimeout));
    }
    if (dnsAttempts != null) {
      env.put("MIRRORD_AGENT_DNS_ATTEMPTS", String.valueOf(dnsAttempts));
    }
    return env;
  }

  private List<String> workerCommand(WorkerClassCache classCache) {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // JVM warnings must not reach stdout, which carries the ready line (and recording the
    // class-data
    // archive warns about every class it skips: errors only); the guard's own -Xlog options follow
    // and still apply
    cmd.addAll(List.of("-Xlog:disable", "-Xlog:all=warning,cds*=error:stderr"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-agentlib")
          && !arg.startsWith("-javaagent")
          && !(classCache.active() && WorkerClassCache.isSharingOption(arg))) {
        cmd.add(arg);
      }
    }
    // incoming-traffic settings reach the worker's IncomingSettings as system properties
    if (nftables != null) {
      cmd.add("-Dmirrordj.agent.nftables=" + nftables);
    }
    if (networkInterface != null) {
      cmd.add("-Dmirrordj.agent.network_interface=" + networkInterface);
    }
    if (flushConnections != null) {
      cmd.add("-Dmirrordj.agent.flush_connections=" + flushConnections);
    }
    cmd.addAll(classCache.jvmOptions());
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            AgentCommand.class.getName(),
            "--port",
            String.valueOf(port),
            "--communication-timeout",
            String.valueOf(communicationTimeout),
            "--idle-ttl",
            String.valueOf(idleTtl),
            "--worker"));
    if (listen != null) {
      cmd.addAll(List.of("--listen", listen));
    }
    if (logLevel != null) {
      cmd.addAll(List.of("--log-level", logLevel));
    }
    cmd.add("--json-log=" + jsonLog);
    if (target.pid != null) {
      cmd.addAll(List.of("--target-pid", String.valueOf(target.pid)));
    } else {
      cmd.add("--targetless");
    }
    return cmd;
  }

  private static int runWorker(AgentOptions options) {
    CountDownLatch closed = new CountDownLatch(1);
    AgentWorker agent = new AgentWorker(options);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.stop(AgentExit.Reason.SIGNAL, "received a termination signal");
                  try {
                    closed.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "agent-signal"));
    try {
      agent.start().await();
      System.out.println(agent.readyLine());
      System.out.flush();
      watchGuard(agent);
      AgentExit exit = agent.exit().await();
      return exit.reason().exitCode();
    } finally {
      agent.close();
      closed.countDown();
    }
  }

  /** The guard holds our stdin open; EOF means it died, and a worker must not outlive its guard. */
  private static void watchGuard(AgentWorker agent) {
    Thread t =
        new Thread(
            () -> {
              try {
                InputStream in = System.in;
                byte[] buf = new byte[256];
                while (in.read(buf) >= 0) {
                  // nothing is expected on stdin; keep reading until EOF
                }
              } catch (Exception ignored) {
                // treated like EOF
              }
              agent.stop(AgentExit.Reason.GUARD_GONE, "the guard process went away (stdin closed)");
            },
            "agent-guard-watch");
    t.setDaemon(true);
    t.start();
  }
}
