package dev.mirrordj.cli;

import dev.mirrordj.cli.ext.IdeLaunch;
import dev.mirrordj.cli.progress.ProgressMode;
import dev.mirrordj.cli.run.AgentConnector;
import dev.mirrordj.cli.run.DefaultAgentConnector;
import dev.mirrordj.cli.run.RunSession;
import dev.mirrordj.verticles.config.ConfigRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ext [-f config] [-t target] [-e executable]}: the IDE contract. Prepares a session as
 * {@code run} does (configuration, agent, proxy, incoming) but starts no program: progress goes to
 * stdout as JSON lines (unless MIRRORD_PROGRESS_MODE says otherwise), and the root task's success
 * message is the {@link IdeLaunch} document the IDE applies to the process it starts. The command
 * then serves that process until the session is idle.
 */
@Command(
    name = "ext",
    mixinStandardHelpOptions = true,
    description =
        "For IDE plugins: prepare a session, print the environment the IDE's process needs as JSON,"
            + " and serve that process until it is done.")
public final class ExtCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--config-file"},
      paramLabel = "PATH",
      description = "Configuration file; '-' reads JSON from stdin. Default: $MIRRORD_CONFIG_FILE.")
  String configFile;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "PATH",
      description = "Target (overrides the configuration's target.path).")
  String target;

  @Option(
      names = {"-e", "--executable"},
      paramLabel = "PROGRAM",
      description = "The program the IDE will start (only for warnings about it).")
  String executable;

  private final Map<String, String> env;
  private final AgentConnector connector;

  public ExtCommand() {
    this(System.getenv(), new DefaultAgentConnector());
  }

  /** For tests: a given environment and agent connector. */
  public ExtCommand(Map<String, String> env, AgentConnector connector) {
    this.env = env;
    this.connector = connector;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    if (target != null) overrides.put("MIRRORD_IMPERSONATED_TARGET", target);
    ConfigRequest request =
        new ConfigRequest(ConfigOptions.sourceOf(configFile, System.in), env, overrides, false);
    return new RunSession(
            request,
            ProgressMode.fromEnv(env, ProgressMode.JSON),
            connector,
            System.out,
            System.err,
            env,
            Path.of("").toAbsolutePath())
        .serveExternalProgram(
            executable == null ? List.of() : List.of(executable),
            programEnv -> IdeLaunch.document(env, programEnv));
  }
}
