package dev.mirrordj.cli;

import dev.mirrordj.cli.portforward.ForwardSpecs;
import dev.mirrordj.cli.portforward.PortForwardSession;
import dev.mirrordj.cli.progress.ProgressMode;
import dev.mirrordj.cli.run.AgentConnector;
import dev.mirrordj.cli.run.DefaultAgentConnector;
import dev.mirrordj.verticles.config.ConfigRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code port-forward -L [local_port:]host:port ... -R [remote_port:]local_port ...}: forwards
 * ports through the target's network without running a program, until interrupted.
 */
@Command(
    name = "port-forward",
    mixinStandardHelpOptions = true,
    description =
        "Forward local ports to destinations reached from the pod (-L), and the pod's incoming"
            + " traffic on a port to a local port (-R), until interrupted.")
public final class PortForwardCommand implements Callable<Integer> {

  @Mixin ConfigOptions options;

  @Option(
      names = {"-L", "--port-mappings"},
      paramLabel = "[LOCAL_PORT:]HOST:PORT",
      converter = ForwardSpecs.LocalConverter.class,
      description =
          "Listen on 127.0.0.1:LOCAL_PORT (default PORT; 0 = any free port) and open each"
              + " connection from the pod to HOST:PORT (HOST resolved by the pod's DNS). Repeatable.")
  List<ForwardSpecs.Local> locals = new ArrayList<>();

  @Option(
      names = {"-R", "--reverse-port-mappings"},
      paramLabel = "[REMOTE_PORT:]LOCAL_PORT",
      converter = ForwardSpecs.ReverseConverter.class,
      description =
          "Deliver the pod's incoming traffic on REMOTE_PORT (mirrored or stolen as"
              + " feature.network.incoming says) to 127.0.0.1:LOCAL_PORT. Repeatable.")
  List<ForwardSpecs.Reverse> reverses = new ArrayList<>();

  private final Map<String, String> env;
  private final AgentConnector connector;

  public PortForwardCommand() {
    this(System.getenv(), new DefaultAgentConnector());
  }

  /** For tests: a given environment and agent connector. */
  public PortForwardCommand(Map<String, String> env, AgentConnector connector) {
    this.env = env;
    this.connector = connector;
  }

  @Override
  public Integer call() throws Exception {
    ConfigRequest request =
        new ConfigRequest(options.source(System.in), env, options.overrides(), false);
    return new PortForwardSession(
            request, ProgressMode.fromEnv(env, ProgressMode.STD), connector, System.out, System.err)
        .run(locals, reverses);
  }
}
