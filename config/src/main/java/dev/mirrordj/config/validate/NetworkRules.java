package dev.mirrordj.config.validate;

import dev.mirrordj.config.HttpFilterConfig;
import dev.mirrordj.config.IncomingConfig;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.OutgoingConfig;
import dev.mirrordj.config.OutgoingFilterEntry;
import dev.mirrordj.config.PortPair;
import dev.mirrordj.config.Problems;
import dev.mirrordj.config.TargetPath;
import dev.mirrordj.config.bind.ConfigValueException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The cross-field rules of {@code feature.network}: steal needs a target, exclusive options, ports,
 * filters.
 */
final class NetworkRules {
  private final Problems problems;
  private final RegexRules regexes;
  private final boolean ide;

  NetworkRules(Problems problems, RegexRules regexes, boolean ide) {
    this.problems = problems;
    this.regexes = regexes;
    this.ide = ide;
  }

  void incoming(IncomingConfig in, MirrordConfig c) {
    String p = "feature.network.incoming";
    Optional<TargetPath> path = c.target().path();
    boolean targetless = path.map(t -> t instanceof TargetPath.Targetless).orElse(!ide);
    if (in.isSteal() && targetless && !problems.failedAt("target")) {
      problems.error(
          p + ".mode",
          "steal",
          "Steal mode is not compatible with a targetless agent, please "
              + "either disable this option or specify a target.");
    }
    if (in.ports().isPresent() && !in.ignorePorts().isEmpty()) {
      problems.error(
          p + ".ports",
          in.ports().get().toString(),
          "Cannot use both 'incoming.ignore_ports' and 'incoming.ports' at the same time; keep one of them");
    }
    HttpFilterConfig http = in.httpFilter();
    new HttpFilterRules(problems, regexes).check(p + ".http_filter", http);
    if (http.isSet() && !in.isSteal()) {
      problems.warn(
          p
              + ".http_filter is only used in steal mode; it is ignored with mode \""
              + in.mode().wire()
              + "\"");
    }
    duplicates(p + ".port_mapping", in.portMapping(), PortPair::first, "source");
    duplicates(p + ".port_mapping", in.portMapping(), PortPair::second, "target");
    duplicates(p + ".listen_ports", in.listenPorts(), PortPair::first, "source");
    duplicates(p + ".listen_ports", in.listenPorts(), PortPair::second, "target");
    for (PortPair pair : in.portMapping()) {
      if (pair.first() == pair.second()) {
        problems.warn(
            p + ".port_mapping maps port " + pair.first() + " to itself; the entry has no effect");
      }
    }
  }

  private void duplicates(
      String path, List<PortPair> pairs, ToIntFunction<PortPair> side, String which) {
    Set<Integer> seen = new HashSet<>();
    for (PortPair pair : pairs) {
      int port = side.applyAsInt(pair);
      if (!seen.add(port)) {
        problems.error(
            path,
            pair.toConfig().toString(),
            "'"
                + path.substring(path.lastIndexOf('.') + 1)
                + "' contains duplicate "
                + which
                + " port '"
                + port
                + "'; each "
                + which
                + " port may appear once");
      }
    }
  }

  void outgoing(OutgoingConfig out, boolean dnsEnabled) {
    String p = "feature.network.outgoing.filter";
    if (out.filter().isEmpty()) {
      return;
    }
    var f = out.filter().get();
    if (f.remote().isPresent() && f.local().isPresent()) {
      problems.error(
          p,
          "remote and local",
          "the remote and local outgoing filters are mutually exclusive; "
              + "set only one of them");
    }
    entries(p + ".remote", f.remote().orElse(List.of()));
    entries(p + ".local", f.local().orElse(List.of()));
    if (f.remote().isPresent() && !dnsEnabled) {
      problems.warn(
          p
              + ".remote is set while feature.network.dns is disabled; host names in it are "
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
}
