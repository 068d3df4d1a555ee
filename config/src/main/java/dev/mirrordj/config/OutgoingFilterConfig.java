package dev.mirrordj.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code feature.network.outgoing.filter}: exactly one of {@code remote} (only these go through the
 * pod) or {@code local} (these stay local, the rest go through the pod). Entries follow {@code
 * [protocol://][name|address|subnet/mask][:port]} ({@link OutgoingFilterEntry}).
 */
public record OutgoingFilterConfig(Optional<List<String>> remote, Optional<List<String>> local) {
  public OutgoingFilterConfig {
    remote = Immutable.list(remote);
    local = Immutable.list(local);
  }

  static OutgoingFilterConfig defaults() {
    return new OutgoingFilterConfig(Optional.empty(), Optional.empty());
  }
}
