package dev.mirrordj.config.validate;

import dev.mirrordj.config.AgentConfig;
import dev.mirrordj.config.HttpFilterConfig;
import dev.mirrordj.config.IncomingConfig;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.OutgoingConfig;
import dev.mirrordj.config.OutgoingFilterEntry;
import dev.mirrordj.config.PortPair;
import dev.mirrordj.config.Problems;
import dev.mirrordj.config.TargetPath;
import dev.mirrordj.config.bind.ConfigValueException;
import dev.mirrordj.config.regex.FancyRegex;
import dev.mirrordj.config.regex.InvalidRegexException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Checks the rules that span fields (mirrord's {@code LayerConfig::verify}), after binding: every
 * error names the JSON path, the value and what is accepted; warnings note what is accepted but has
 * no effect here. All rules run, so all problems are reported together.
 */
public final class ConfigValidator {
  private final Problems problems;
  private final boolean ide;

  /** @param ide the caller is an IDE that asks for the target itself, so a missing target is fine */
  public ConfigValidator(Problems problems, boolean ide) {
    this.problems = problems;
    this.ide = ide;
  }

  public void validate(MirrordConfig c) {
    target(c);
    incoming(c.feature().network().incoming(), c);
    outgoing(c.feature().network().outgoing(), c.feature().network().dns().enabled());
    fs(c);
    env(c);
    agent(c.agent(), c);
    root(c);
  }

  private void target(MirrordConfig c) {
    Optional<TargetPath> path = c.target().path();
    boolean explicitTargetless = path.map(p -> p instanceof TargetPath.Targetless).orElse(false);
    boolean copy = c.feature().copyTarget().enabled();
    if (path.isPresent() && path.get() instanceof TargetPath.Job && !copy) {
      problems.error("target.path", path.get().render(),
          "a job/ target needs feature.copy_target enabled (e.g. \"copy_target\": true)");
    }
    if (copy && (explicitTargetless || (path.isEmpty() && !ide))) {
      problems.error("feature.copy_target", "true",
          "copy_target is not compatible with a targetless session; specify a target or disable copy_target");
    }
    if (copy && c.operator().equals(Optional.of(false))) {
      problems.error("feature.copy_target", "true",
          "copy_target requires the operator, but operator is false; set operator to true or unset it");
    }
    if (c.feature().copyTarget().scaleDown() && path.isPresent()
        && !(path.get() instanceof TargetPath.Deployment)) {
      problems.warn("feature.copy_target.scale_down only applies to deployment targets; it is ignored for "
          + path.get().render());
    }
    if (copy && !c.feature().network().incoming().isSteal()) {
      problems.warn("feature.copy_target is enabled without steal mode; the copied pod gets no traffic "
          + "unless incoming traffic is stolen");
    }
    if ((explicitTargetless || path.isEmpty()) && c.agent().namespace().isPresent()) {
      problems.warn("agent.namespace is ignored for a targetless session; the target namespace is used");
    }
  }

  private void incoming(IncomingConfig in, MirrordConfig c) {
    String p = "feature.network.incoming";
    Optional<TargetPath> path = c.target().path();
    boolean targetless = path.map(t -> t instanceof TargetPath.Targetless).orElse(!ide);
    if (in.isSteal() && targetless) {
      problems.error(p + ".mode", "steal", "Steal mode is not compatible with a targetless agent, please "
          + "either disable this option or specify a target.");
    }
    if (in.ports().isPresent() && !in.ignorePorts().isEmpty()) {
      problems.error(p + ".ports", in.ports().get().toString(),
          "Cannot use both 'incoming.ignore_ports' and 'incoming.ports' at the same time; keep one of them");
    }
    HttpFilterConfig http = in.httpFilter();
    if (http.headerFilter().isPresent() && http.pathFilter().isPresent()) {
      problems.error(p + ".http_filter", "header_filter and path_filter",
          "Cannot use multiple types of HTTP filter at the same time; set only one of header_filter, path_filter");
    }
    regex(p + ".http_filter.header_filter", http.headerFilter());
    regex(p + ".http_filter.path_filter", http.pathFilter());
    if (http.headerFilter().filter(String::isEmpty).isPresent() || http.pathFilter().filter(String::isEmpty).isPresent()) {
      problems.error(p + ".http_filter", "\"\"", "an HTTP filter must not be empty");
    }
    if (http.isSet() && !in.isSteal()) {
      problems.warn(p + ".http_filter is only used in steal mode; it is ignored with mode \""
          + in.mode().wire() + "\"");
    }
    duplicates(p + ".port_mapping", in.portMapping(), PortPair::first, "source");
    duplicates(p + ".port_mapping", in.portMapping(), PortPair::second, "target");
    duplicates(p + ".listen_ports", in.listenPorts(), PortPair::first, "source");
    duplicates(p + ".listen_ports", in.listenPorts(), PortPair::second, "target");
    for (PortPair pair : in.portMapping()) {
      if (pair.first() == pair.second()) {
        problems.warn(p + ".port_mapping maps port " + pair.first() + " to itself; the entry has no effect");
      }
    }
  }

  private void duplicates(String path, List<PortPair> pairs, ToIntFunction<PortPair> side, String which) {
    Set<Integer> seen = new HashSet<>();
    for (PortPair pair : pairs) {
      int port = side.applyAsInt(pair);
      if (!seen.add(port)) {
        problems.error(path, pair.toConfig().toString(),
            "'" + path.substring(path.lastIndexOf('.') + 1) + "' contains duplicate " + which + " port '" + port
                + "'; each " + which + " port may appear once");
      }
    }
  }

  private void outgoing(OutgoingConfig out, boolean dnsEnabled) {
    String p = "feature.network.outgoing.filter";
    if (out.filter().isEmpty()) {
      return;
    }
    var f = out.filter().get();
    if (f.remote().isPresent() && f.local().isPresent()) {
      problems.error(p, "remote and local", "the remote and local outgoing filters are mutually exclusive; "
          + "set only one of them");
    }
    entries(p + ".remote", f.remote().orElse(List.of()));
    entries(p + ".local", f.local().orElse(List.of()));
    if (f.remote().isPresent() && !dnsEnabled) {
      problems.warn(p + ".remote is set while feature.network.dns is disabled; host names in it are "
          + "resolved locally");
    }
  }

  private void entries(String path, List<String> list) {
    for (int i = 0; i < list.size(); i++) {
      try {
        OutgoingFilterEntry.parse(list.get(i));
      } catch (ConfigValueException e) {
        problems.error(path + "[" + i + "]", list.get(i), e.getMessage());
      }
    }
  }

  private void fs(MirrordConfig c) {
    var fs = c.feature().fs();
    regexes("feature.fs.read_write", fs.readWrite());
    regexes("feature.fs.read_only", fs.readOnly());
    regexes("feature.fs.local", fs.local());
    regexes("feature.fs.not_found", fs.notFound());
    regexes("feature.network.outgoing.unix_streams", c.feature().network().outgoing().unixStreams());
  }

  private void env(MirrordConfig c) {
    var env = c.feature().env();
    if (env.include().isPresent() && env.exclude().isPresent()) {
      problems.warn("feature.env sets both include and exclude; a variable is loaded when it is included "
          + "and not excluded");
    }
  }

  private void agent(AgentConfig a, MirrordConfig c) {
    for (int i = 0; i < a.imagePullSecrets().size(); i++) {
      Map<String, String> secret = a.imagePullSecrets().get(i);
      if (!(secret.size() == 1 && secret.containsKey("name"))) {
        problems.warn("agent.image_pull_secrets[" + i + "] is " + secret + ", not of the form {\"name\": "
            + "\"<secret>\"}; it is passed to Kubernetes as given");
      }
    }
    if (a.ephemeral() && a.namespace().isPresent()) {
      problems.warn("agent.namespace is ignored for an ephemeral agent; it runs in the target's namespace");
    }
    if (a.ephemeral() && c.target().path().map(t -> t instanceof TargetPath.Targetless).orElse(false)) {
      problems.error("agent.ephemeral", "true", "an ephemeral agent needs a target; a targetless session "
          + "cannot use one. Disable agent.ephemeral or specify a target");
    }
  }

  private void root(MirrordConfig c) {
    if (!c.sipBinaries().isEmpty()) {
      problems.warn("sip_binaries only applies on macOS; it has no effect on Linux");
    }
    c.connectTcp().ifPresent(addr -> {
      int colon = addr.lastIndexOf(':');
      String port = colon < 0 ? "" : addr.substring(colon + 1);
      if (colon <= 0 || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        problems.error("connect_tcp", addr, "expected IP:PORT, e.g. \"10.10.0.100:7777\"");
      }
    });
  }

  private void regexes(String path, List<String> patterns) {
    for (int i = 0; i < patterns.size(); i++) {
      regex(path + "[" + i + "]", Optional.of(patterns.get(i)));
    }
  }

  private void regex(String path, Optional<String> pattern) {
    if (pattern.isEmpty()) {
      return;
    }
    try {
      FancyRegex.compile(pattern.get());
    } catch (InvalidRegexException e) {
      problems.error(path, pattern.get(), e.getMessage());
    }
  }
}
