package dev.mirrordj.cli;

import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mirrord diagnose}: tools that check the path to an agent. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description = "Diagnose the connection to an agent.",
    subcommands = {DiagnoseCommand.Latency.class})
public final class DiagnoseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return ExitCodes.USAGE;
  }

  /**
   * {@code diagnose latency --connect HOST:PORT}: 100 pings after a warm-up, min/median/max round
   * trip, next to a plain loopback TCP echo measured the same way in the same run.
   */
  @Command(
      name = "latency",
      mixinStandardHelpOptions = true,
      description =
          "Measure round-trip time to an agent with 100 protocol pings (after 300 unmeasured"
              + " ones), next to a plain loopback TCP echo timed the same way.")
  static final class Latency implements Callable<Integer> {
    static final int PINGS = 100;

    /** Unmeasured exchanges before the measured ones. */
    static final int WARM_UP = 300;

    private static double median(long[] sorted) {
      return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

    @Spec CommandSpec spec;

    @Option(
        names = "--connect",
        required = true,
        paramLabel = "HOST:PORT",
        description = "Agent address.")
    String connect;

    @Override
    public Integer call() {
      int colon = connect.lastIndexOf(':');
      int port;
      try {
        port = Integer.parseInt(connect.substring(colon + 1));
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw new ParameterException(
            spec.commandLine(), "--connect must be HOST:PORT, got '" + connect + "'");
      }
      String host = connect.substring(0, Math.max(0, colon)).replaceAll("^\\[|]$", "");
      Vertx vertx = Vertx.vertx();
      try {
        AgentClient client =
            AgentClient.connect(
                    vertx,
                    host,
                    port,
                    new AgentClientOptions()
                        .clientName("diagnose")
                        // the agent's secret, when it has one, is in our environment too
                        .secret(
                            SharedSecret.fromEnvironment(
                                    System.getenv(), SharedSecret.AGENT_VARIABLE)
                                .orElse(null)))
                .await();
        try (LoopbackEcho echo = LoopbackEcho.start(vertx).await()) {
          // unmeasured: the first exchanges run interpreted code and load classes on both ends
          for (int i = 0; i < WARM_UP; i++) {
            client.ping().await();
            echo.roundTrip().await();
          }
          // interleaved, so a busy moment of the machine weighs on both alike
          long[] rtt = new long[PINGS];
          long[] anchor = new long[PINGS];
          for (int i = 0; i < PINGS; i++) {
            rtt[i] = client.ping().await();
            anchor[i] = echo.roundTrip().await();
          }
          client.close().await();
          Arrays.sort(rtt);
          Arrays.sort(anchor);
          var out = spec.commandLine().getOut();
          out.printf(
              "%d pings to %s (agent %s): min %.3f ms, median %.3f ms, max %.3f ms%n",
              PINGS,
              connect,
              client.hello().agentVersion(),
              rtt[0] / 1e6,
              median(rtt) / 1e6,
              rtt[PINGS - 1] / 1e6);
          out.printf(
              "loopback TCP echo in this process, same count: min %.3f ms, median %.3f ms, max"
                  + " %.3f ms; agent median / echo median %.2f%n",
              anchor[0] / 1e6,
              median(anchor) / 1e6,
              anchor[PINGS - 1] / 1e6,
              median(rtt) / median(anchor));
        }
        return ExitCodes.OK;
      } finally {
        vertx.close();
      }
    }
  }
}
