package dev.mirrordj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.cli.progress.ProgressMode;
import dev.mirrordj.config.ConfigCodec;
import dev.mirrordj.config.ConfigError;
import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ResolveResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code verify-config [--ide] <path>}: resolves a configuration exactly as a session would
 * (template, format, MIRRORD_* environment, validation) and prints one JSON document on stdout:
 * {@code {"type":"Success","config":{...},"warnings":[...]}} (exit 0) or {@code
 * {"type":"Fail","errors":[...]}} (exit 1). A one-line summary goes to stderr unless {@code
 * MIRRORD_PROGRESS_MODE} is {@code json} or {@code off}.
 */
@Command(
    name = "verify-config",
    mixinStandardHelpOptions = true,
    description = "Check a configuration file and print the resolved configuration as JSON.")
public final class VerifyConfigCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Option(names = "--ide", description = "Allow a missing target (the IDE asks for one).")
  boolean ide;

  @Parameters(
      index = "0",
      paramLabel = "PATH",
      description = "Configuration file; '-' reads JSON from stdin.")
  String path;

  private final Map<String, String> env;
  private final InputStream stdin;

  public VerifyConfigCommand() {
    this(System.getenv(), System.in);
  }

  /** For tests: a given environment and stdin. */
  VerifyConfigCommand(Map<String, String> env, InputStream stdin) {
    this.env = env;
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws IOException {
    ResolveResult result =
        ConfigResolver.resolve(ConfigOptions.sourceOf(path, stdin), env, Map.of(), ide);
    ObjectNode doc = JSON.createObjectNode();
    // The summary line is for people; json (IDE) and off modes get only the document on stdout.
    ProgressMode mode = ProgressMode.fromEnv(env, ProgressMode.STD);
    PrintWriter err =
        mode == ProgressMode.STD || mode == ProgressMode.SIMPLE
            ? spec.commandLine().getErr()
            : new PrintWriter(Writer.nullWriter());
    if (result.ok()) {
      doc.put("type", "Success");
      doc.set("config", ConfigCodec.toTree(result.config().orElseThrow()));
      ArrayNode warnings = doc.putArray("warnings");
      result.warnings().forEach(warnings::add);
      err.println(
          "mirrord: configuration is valid"
              + (result.warnings().isEmpty()
                  ? ""
                  : " ("
                      + result.warnings().size()
                      + " warning"
                      + (result.warnings().size() == 1 ? "" : "s")
                      + ")"));
    } else {
      doc.put("type", "Fail");
      ArrayNode errors = doc.putArray("errors");
      result.errors().stream().map(ConfigError::describe).forEach(errors::add);
      err.println(
          "mirrord: configuration is invalid ("
              + result.errors().size()
              + " error"
              + (result.errors().size() == 1 ? "" : "s")
              + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(JSON.writeValueAsString(doc));
    out.flush();
    err.flush();
    return result.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
