package dev.mirrordj.cli;

import dev.mirrordj.cli.run.OperatorConnector;
import dev.mirrordj.verticles.cluster.OperatorAdmin;
import dev.mirrordj.verticles.cluster.OperatorNode;
import dev.mirrordj.verticles.cluster.OperatorSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mirrord operator serve | status | session kill}. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = "Run or manage the operator (clustered multi-user mode).",
    subcommands = {
      OperatorCommand.Serve.class,
      OperatorCommand.Status.class,
      OperatorCommand.Session.class
    })
public final class OperatorCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return ExitCodes.USAGE;
  }

  /** The operator's session address: --address, else MIRRORD_OPERATOR_ADDRESS. */
  static String address(String given) {
    if (given != null) return given;
    String env = System.getenv(OperatorConnector.ADDRESS_VARIABLE);
    if (env == null || env.isBlank()) {
      throw new CommandLine.ParameterException(
          new CommandLine(new OperatorCommand()),
          "no operator address: give --address HOST:PORT or set "
              + OperatorConnector.ADDRESS_VARIABLE);
    }
    return env.trim();
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Run one operator node (it joins the other nodes through Hazelcast).")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "P", description = "Session port.")
    int port;

    @Option(
        names = "--http-port",
        required = true,
        paramLabel = "H",
        description = "Status page and JSON API port.")
    int httpPort;

    @Option(
        names = "--cluster-port",
        paramLabel = "C",
        defaultValue = "5701",
        description = "Hazelcast member port (default: ${DEFAULT-VALUE}).")
    int clusterPort;

    @Option(
        names = "--members",
        split = ",",
        paramLabel = "HOST:C",
        description = "Other nodes' HOST:CLUSTER_PORT (TCP-IP join). None: a single node.")
    List<String> members = new ArrayList<>();

    @Option(
        names = "--host",
        paramLabel = "ADDR",
        defaultValue = "${env:MIRRORD_OPERATOR_HOST:-127.0.0.1}",
        description =
            "Address to bind and announce (default: $MIRRORD_OPERATOR_HOST, else 127.0.0.1).")
    String host;

    @Option(
        names = "--kubernetes-service",
        paramLabel = "NAME",
        defaultValue = "${env:MIRRORD_OPERATOR_SERVICE:-}",
        description = "Find the other nodes through this Kubernetes Service (without --members).")
    String kubernetesService;

    @Option(
        names = "--agent-ttl",
        paramLabel = "S",
        defaultValue = "30",
        description =
            "Seconds a target's agent outlives its last session (default: ${DEFAULT-VALUE}).")
    int agentTtl;

    @Override
    public Integer call() throws Exception {
      OperatorSettings settings =
          new OperatorSettings(
              host,
              port,
              httpPort,
              clusterPort,
              members,
              kubernetesService,
              SelfCommand.argv(),
              Duration.ofSeconds(agentTtl),
              Duration.ofSeconds(60));
      OperatorNode node =
          OperatorNode.start(settings)
              .toCompletionStage()
              .toCompletableFuture()
              .get(120, TimeUnit.SECONDS);
      System.out.println(
          "operator ready - sessions on "
              + host
              + ":"
              + node.sessionPort()
              + ", status on http://"
              + host
              + ":"
              + node.httpPort()
              + "/");
      System.out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      node.close()
                          .toCompletionStage()
                          .toCompletableFuture()
                          .get(20, TimeUnit.SECONDS);
                    } catch (Exception ignored) {
                      // leaving anyway: the other nodes release what this one held
                    }
                    stopped.countDown();
                  },
                  "operator-stop"));
      stopped.await();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the operator's nodes, sessions and port locks.")
  static final class Status implements Callable<Integer> {
    @Option(
        names = "--address",
        paramLabel = "HOST:P",
        description = "The operator's session address (default: $MIRRORD_OPERATOR_ADDRESS).")
    String address;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() {
      if (!output.equals("json") && !output.equals("text")) {
        System.err.println("mirrord: error: -o " + output + ": accepted are json, text");
        return ExitCodes.USAGE;
      }
      JsonObject status;
      try {
        status = OperatorAdmin.status(address(address));
      } catch (OperatorAdmin.AdminException e) {
        System.err.println("mirrord: error: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
      System.out.println(output.equals("json") ? status.encodePrettily() : text(status));
      return ExitCodes.OK;
    }

    private static String text(JsonObject status) {
      StringBuilder out = new StringBuilder("NODES\n");
      status
          .getJsonArray("nodes")
          .forEach(
              o -> {
                JsonObject n = (JsonObject) o;
                out.append(
                    String.format(
                        "  %-22s %s%n",
                        n.getString("address"), n.getBoolean("alive") ? "alive" : "gone"));
              });
      out.append("SESSIONS\n");
      status
          .getJsonArray("sessions")
          .forEach(
              o -> {
                JsonObject s = (JsonObject) o;
                String user = s.getString("user");
                if (!s.getString("display_name", "").isEmpty())
                  user += " (" + s.getString("display_name") + ")";
                out.append(
                    String.format(
                        "  %-10s %-20s %-16s node %-22s ports %s filters %s since %s%n",
                        s.getString("id"),
                        user,
                        s.getString("target"),
                        s.getString("node"),
                        s.getJsonArray("ports", new JsonArray()).encode(),
                        s.getJsonArray("filters", new JsonArray()).encode(),
                        s.getString("started")));
              });
      out.append("LOCKS\n");
      status
          .getJsonArray("locks")
          .forEach(
              o -> {
                JsonObject l = (JsonObject) o;
                out.append(
                    String.format(
                        "  %s port %d: session %s of %s%n",
                        l.getString("target"),
                        l.getInteger("port"),
                        l.getString("session"),
                        l.getString("user")));
              });
      return out.toString().stripTrailing();
    }
  }

  @Command(
      name = "session",
      mixinStandardHelpOptions = true,
      description = "Manage sessions.",
      subcommands = {OperatorCommand.Kill.class})
  static final class Session implements Callable<Integer> {
    @Override
    public Integer call() {
      new CommandLine(this).usage(System.err);
      return ExitCodes.USAGE;
    }
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = "End a session (its user's run stops, saying why).")
  static final class Kill implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The session id (see operator status).")
    String id;

    @Option(
        names = "--address",
        paramLabel = "HOST:P",
        description = "The operator's session address (default: $MIRRORD_OPERATOR_ADDRESS).")
    String address;

    @Override
    public Integer call() {
      try {
        OperatorAdmin.kill(address(address), id);
      } catch (OperatorAdmin.AdminException e) {
        System.err.println("mirrord: error: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
      System.out.println("session " + id + " killed");
      return ExitCodes.OK;
    }
  }
}
