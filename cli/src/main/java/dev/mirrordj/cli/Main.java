package dev.mirrordj.cli;

import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code mirrord-fat.jar}. Every subcommand is a {@link Callable} returning the
 * process exit code, so scripts can rely on it: 0 success, 1 a user-facing failure (bad config,
 * unreachable agent, ...), 2 a command-line usage error; {@code run} returns the program's own exit
 * code.
 */
@Command(
    name = "mirrord",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run a local program in the context of a remote Kubernetes pod.",
    subcommands = {
      CommandLine.HelpCommand.class,
      AutoComplete.GenerateCompletion.class,
      VerifyConfigCommand.class,
      SchemaCommand.class,
      LsCommand.class,
      RunCommand.class,
      AgentCommand.class,
      DiagnoseCommand.class,
      ExtCommand.class,
      PortForwardCommand.class,
    })
public final class Main implements Callable<Integer> {

  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces and debug details for errors.")
  boolean verbose;

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return ExitCodes.USAGE;
  }

  /**
   * Builds the command line with the project's error handling; shared by {@link #main} and tests.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new UserErrorHandler());
    cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    return cli;
  }

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }
}
