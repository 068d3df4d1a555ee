package dev.mirrordj.config.validate;

import dev.mirrordj.config.AgentConfig;
import dev.mirrordj.config.FsConfig;
import dev.mirrordj.config.InternalProxyConfig;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.Problems;
import dev.mirrordj.config.TargetPath;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the rules that span fields (mirrord's {@code LayerConfig::verify}), after binding: every
 * error names the JSON path, the value and what is accepted; warnings note what is accepted but has
 * no effect here. All rules run, so all problems are reported together.
 */
public final class ConfigValidator {
  private final Problems problems;
  private final boolean ide;
  private final NetworkRules network;
  private final RegexRules regexes;

  /**
   * @param ide the caller is an IDE that asks for the target itself, so a missing target is fine
   */
  public ConfigValidator(Problems problems, boolean ide) {
    this.problems = problems;
    this.ide = ide;
    this.regexes = new RegexRules(problems);
    this.network = new NetworkRules(problems, regexes, ide);
  }

  public void validate(MirrordConfig c) {
    target(c);
    network.incoming(c.feature().network().incoming(), c);
    network.outgoing(c.feature().network().outgoing(), c.feature().network().dns().enabled());
    fs(c);
    env(c);
    agent(c.agent(), c);
    root(c);
  }

  private void target(MirrordConfig c) {
    if (problems.failedAt("target")) {
      return; // the configured target is invalid (already reported); do not judge it as missing
    }
    Optional<TargetPath> path = c.target().path();
    boolean explicitTargetless = path.map(p -> p instanceof TargetPath.Targetless).orElse(false);
    boolean copy = c.feature().copyTarget().enabled();
    if (path.isPresent() && path.get() instanceof TargetPath.Job && !copy) {
      problems.error(
          "target.path",
          path.get().render(),
          "a job/ target needs feature.copy_target enabled (e.g. \"copy_target\": true)");
    }
    if (copy && (explicitTargetless || (path.isEmpty() && !ide))) {
      problems.error(
          "feature.copy_target",
          "true",
          "copy_target is not compatible with a targetless session; specify a target or disable copy_target");
    }
    if (copy && c.operator().equals(Optional.of(false))) {
      problems.error(
          "feature.copy_target",
          "true",
          "copy_target requires the operator, but operator is false; set operator to true or unset it");
    }
    if (c.feature().copyTarget().scaleDown()
        && path.isPresent()
        && !(path.get() instanceof TargetPath.Deployment)) {
      if (copy) {
        // the operator would have to refuse the session anyway: say so before anything starts
        problems.error(
            "feature.copy_target.scale_down",
            "true",
            "scale_down is compatible only with deployment targets, not "
                + path.get().render()
                + "; target the deployment (deployment/<name>) or set scale_down to false");
      } else {
        problems.warn(
            "feature.copy_target.scale_down only applies to deployment targets; it is ignored for "
                + path.get().render());
      }
    }
    if (copy && !c.feature().network().incoming().isSteal()) {
      problems.warn(
          "feature.copy_target is enabled without steal mode; the copied pod gets no traffic "
              + "unless incoming traffic is stolen");
    }
    if ((explicitTargetless || path.isEmpty()) && c.agent().namespace().isPresent()) {
      problems.warn(
          "agent.namespace is ignored for a targetless session; the target namespace is used");
    }
  }

  private void fs(MirrordConfig c) {
    var fs = c.feature().fs();
    regexes.all("feature.fs.read_write", fs.readWrite());
    regexes.all("feature.fs.read_only", fs.readOnly());
    regexes.all("feature.fs.local", fs.local());
    regexes.all("feature.fs.not_found", fs.notFound());
    mappingKeys("feature.fs.mapping", fs.mapping());
    if (fs.readonlyFileBuffer() > FsConfig.READONLY_FILE_BUFFER_WARN) {
      problems.warn(
          "feature.fs.readonly_file_buffer is "
              + fs.readonlyFileBuffer()
              + " bytes; buffers above 1 MiB make every remote read fetch that much");
    }
    regexes.all(
        "feature.network.outgoing.unix_streams", c.feature().network().outgoing().unixStreams());
  }

  /** A mapping's keys are regexes; each is reported at its own path. */
  private void mappingKeys(String path, Map<String, String> mapping) {
    for (String pattern : mapping.keySet()) {
      regexes.one(path + "." + pattern, java.util.Optional.of(pattern));
    }
  }

  private void env(MirrordConfig c) {
    var env = c.feature().env();
    mappingKeys("feature.env.mapping", env.mapping());
    if (env.envFile().filter(String::isBlank).isPresent()) {
      problems.error("feature.env.env_file", "\"\"", "expected the path of a dotenv file");
    }
    if (env.include().isPresent() && env.exclude().isPresent()) {
      problems.warn(
          "feature.env sets both include and exclude; a variable is loaded when it is included "
              + "and not excluded");
    }
  }

  private void agent(AgentConfig a, MirrordConfig c) {
    for (int i = 0; i < a.imagePullSecrets().size(); i++) {
      Map<String, String> secret = a.imagePullSecrets().get(i);
      if (!(secret.size() == 1 && secret.containsKey("name"))) {
        problems.warn(
            "agent.image_pull_secrets["
                + i
                + "] is "
                + dev.mirrordj.config.bind.ConfigTreeWriter.write(secret)
                + ", not of the form {\"name\": "
                + "\"<secret>\"}; it is passed to Kubernetes as given");
      }
    }
    if (a.ephemeral() && a.namespace().isPresent()) {
      problems.warn(
          "agent.namespace is ignored for an ephemeral agent; it runs in the target's namespace");
    }
    if (a.ephemeral()
        && !problems.failedAt("target")
        && c.target().path().map(t -> t instanceof TargetPath.Targetless).orElse(false)) {
      problems.error(
          "agent.ephemeral",
          "true",
          "an ephemeral agent needs a target; a targetless session "
              + "cannot use one. Disable agent.ephemeral or specify a target");
    }
  }

  private void root(MirrordConfig c) {
    var proxy = c.internalProxy();
    if (proxy.logDestination().isEmpty()
        && !proxy.logLevel().equals(InternalProxyConfig.DEFAULT_LOG_LEVEL)) {
      problems.warn(
          "internal_proxy.log_level is only used when internal_proxy.log_destination is set; "
              + "set a log file to get the proxy's log");
    }
    if (!c.sipBinaries().isEmpty()) {
      problems.warn("sip_binaries only applies on macOS; it has no effect on Linux");
    }
    c.connectTcp()
        .ifPresent(
            addr -> {
              int colon = addr.lastIndexOf(':');
              String port = colon < 0 ? "" : addr.substring(colon + 1);
              if (colon <= 0
                  || !port.matches("[0-9]{1,5}")
                  || Integer.parseInt(port) < 1
                  || Integer.parseInt(port) > 65535) {
                problems.error("connect_tcp", addr, "expected IP:PORT, e.g. \"10.10.0.100:7777\"");
              }
            });
  }
}
