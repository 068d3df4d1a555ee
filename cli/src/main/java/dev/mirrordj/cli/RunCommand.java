package dev.mirrordj.cli;

import dev.mirrordj.cli.progress.ProgressMode;
import dev.mirrordj.cli.run.AgentConnector;
import dev.mirrordj.cli.run.DefaultAgentConnector;
import dev.mirrordj.cli.run.LayerChoice;
import dev.mirrordj.cli.run.OperatorConnector;
import dev.mirrordj.cli.run.RunSession;
import dev.mirrordj.verticles.config.ConfigRequest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code run [options] [-f config] -- <program> [args...]} (alias {@code exec}): runs a local
 * program in the context of the target and exits with the program's exit code (128+N when signal N
 * killed it).
 */
@Command(
    name = "run",
    aliases = "exec",
    mixinStandardHelpOptions = true,
    description = "Run a local program with the pod's environment, files, DNS and network.")
public final class RunCommand implements Callable<Integer> {

  @Mixin ConfigOptions options;

  @Parameters(
      arity = "1..*",
      paramLabel = "PROGRAM",
      description = "The program and its arguments (after --).")
  List<String> command;

  @picocli.CommandLine.Option(
      names = "--layer-mode",
      paramLabel = "MODE",
      description =
          "auto (default): the seccomp layer for static and Go programs, LD_PRELOAD otherwise;"
              + " preload or seccomp to force one (also MIRRORD_LAYER_MODE).")
  String layerMode;

  private final Map<String, String> env;
  private final AgentConnector connector;

  public RunCommand() {
    this(System.getenv(), new OperatorConnector(System.getenv(), new DefaultAgentConnector()));
  }

  /** For tests: a given environment and agent connector. */
  public RunCommand(Map<String, String> env, AgentConnector connector) {
    this.env = env;
    this.connector = connector;
  }

  /**
   * The configuration comes from the config verticle (file, environment, flags) inside the session,
   * so that its errors and warnings are reported through the session's progress.
   */
  @Override
  public Integer call() throws Exception {
    ConfigRequest request =
        new ConfigRequest(options.source(System.in), env, options.overrides(), false);
    LayerChoice.mode(layerMode, env); // a bad value names its source
    Map<String, String> runEnv = env;
    if (layerMode != null) { // the flag wins over the variable
      runEnv = new HashMap<>(env);
      runEnv.put(LayerChoice.VARIABLE, layerMode);
    }
    return new RunSession(
            request,
            ProgressMode.fromEnv(env, ProgressMode.STD),
            connector,
            System.out,
            System.err,
            runEnv,
            Path.of("").toAbsolutePath())
        .run(command);
  }
}
