package dev.mirrordj.cli;

import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.FsMode;
import dev.mirrordj.config.load.ConfigFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration flags shared by every command that starts a session ({@code run}, ...), as a
 * picocli mixin. Flags become MIRRORD_* overrides, exactly like mirrord's CLI, so they take the
 * same path through {@link dev.mirrordj.config.ConfigResolver} as the environment and win over it.
 */
public final class ConfigOptions {
  /** What a bare {@code -f} means. */
  public static final String DEFAULT_CONFIG_FILE = ".mirrord/mirrord.json";

  @Option(
      names = {"-f", "--config-file"},
      arity = "0..1",
      fallbackValue = DEFAULT_CONFIG_FILE,
      paramLabel = "PATH",
      description =
          "Configuration file (.json or no extension, .yaml/.yml, .toml);"
              + " '-' reads JSON from stdin; bare -f means "
              + DEFAULT_CONFIG_FILE
              + ". Default: $MIRRORD_CONFIG_FILE.")
  String configFile;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "PATH",
      description =
          "Target: pod/<p>[/container/<c>], deployment/<d>, container/<c>, job/<j>, pid/<pid>, targetless.")
  String target;

  @Option(
      names = {"-n", "--target-namespace"},
      paramLabel = "NS",
      description = "Namespace of the target.")
  String targetNamespace;

  @Option(
      names = {"-a", "--agent-namespace"},
      paramLabel = "NS",
      description = "Namespace for the agent.")
  String agentNamespace;

  @Option(
      names = {"-i", "--agent-image"},
      paramLabel = "IMAGE",
      description = "Agent image.")
  String agentImage;

  @Option(names = "--steal", description = "Steal incoming traffic instead of mirroring it.")
  boolean steal;

  @Option(
      names = "--fs-mode",
      paramLabel = "MODE",
      description = "File mode: local, localwithoverrides, read, write.",
      converter = FsModeConverter.class,
      completionCandidates = FsModeConverter.Candidates.class)
  FsMode fsMode;

  @Option(names = "--no-outgoing", description = "Disable outgoing TCP and UDP through the pod.")
  boolean noOutgoing;

  @Option(names = "--no-tcp-outgoing", description = "Disable outgoing TCP through the pod.")
  boolean noTcpOutgoing;

  @Option(names = "--no-udp-outgoing", description = "Disable outgoing UDP through the pod.")
  boolean noUdpOutgoing;

  @Option(names = "--no-remote-dns", description = "Resolve DNS locally.")
  boolean noRemoteDns;

  @Option(
      names = {"-x", "--override-env-vars-exclude"},
      paramLabel = "VARS",
      description = "Remote environment variables to exclude (';'-separated, * and ? wildcards).")
  String envExclude;

  @Option(
      names = {"-s", "--override-env-vars-include"},
      paramLabel = "VARS",
      description = "Remote environment variables to include (';'-separated, * and ? wildcards).")
  String envInclude;

  @Option(
      names = "--skip-processes",
      paramLabel = "NAMES",
      description = "Processes to skip (';'-separated).")
  String skipProcesses;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "Kube context to use.")
  String kubeContext;

  @Option(
      names = {"-c", "--accept-invalid-certificates"},
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Accept invalid TLS certificates (default when given: true).")
  Boolean acceptInvalidCertificates;

  @Option(
      names = "--agent-ttl",
      paramLabel = "SECONDS",
      description = "Agent Job lifetime after exit.")
  Integer agentTtl;

  @Option(
      names = "--agent-startup-timeout",
      paramLabel = "SECONDS",
      description = "Agent startup timeout.")
  Long agentStartupTimeout;

  @Option(
      names = {"-e", "--ephemeral-container"},
      description = "Run the agent as an ephemeral container.")
  boolean ephemeral;

  /** The flags given, as MIRRORD_* overrides (only flags actually set). */
  public Map<String, String> overrides() {
    Map<String, String> o = new LinkedHashMap<>();
    put(o, "MIRRORD_IMPERSONATED_TARGET", target);
    put(o, "MIRRORD_TARGET_NAMESPACE", targetNamespace);
    put(o, "MIRRORD_AGENT_NAMESPACE", agentNamespace);
    put(o, "MIRRORD_AGENT_IMAGE", agentImage);
    if (steal) {
      o.put("MIRRORD_AGENT_TCP_STEAL_TRAFFIC", "true");
    }
    put(o, "MIRRORD_FILE_MODE", fsMode == null ? null : fsMode.wire());
    if (noOutgoing || noTcpOutgoing) {
      o.put("MIRRORD_TCP_OUTGOING", "false");
    }
    if (noOutgoing || noUdpOutgoing) {
      o.put("MIRRORD_UDP_OUTGOING", "false");
    }
    if (noRemoteDns) {
      o.put("MIRRORD_REMOTE_DNS", "false");
    }
    put(o, "MIRRORD_OVERRIDE_ENV_VARS_EXCLUDE", envExclude);
    put(o, "MIRRORD_OVERRIDE_ENV_VARS_INCLUDE", envInclude);
    put(o, "MIRRORD_SKIP_PROCESSES", skipProcesses);
    put(o, "MIRRORD_KUBE_CONTEXT", kubeContext);
    put(o, "MIRRORD_ACCEPT_INVALID_CERTIFICATES", acceptInvalidCertificates);
    put(o, "MIRRORD_AGENT_TTL", agentTtl);
    put(o, "MIRRORD_AGENT_STARTUP_TIMEOUT", agentStartupTimeout);
    if (ephemeral) {
      o.put("MIRRORD_EPHEMERAL_CONTAINER", "true");
    }
    return o;
  }

  /**
   * The configuration document: the -f path, stdin for '-', or none (MIRRORD_CONFIG_FILE then
   * applies).
   */
  public ConfigSource source(InputStream stdin) throws IOException {
    return sourceOf(configFile, stdin);
  }

  /** Maps a path argument to a source; {@code -} reads JSON from {@code stdin}. */
  static ConfigSource sourceOf(String path, InputStream stdin) throws IOException {
    if (path == null) {
      return ConfigSource.none();
    }
    if (path.equals("-")) {
      return new ConfigSource.Text(
          new String(stdin.readAllBytes(), StandardCharsets.UTF_8), ConfigFormat.JSON, "<stdin>");
    }
    return ConfigSource.file(Path.of(path));
  }

  private static void put(Map<String, String> o, String key, Object value) {
    if (value != null) {
      o.put(key, value.toString());
    }
  }
}
