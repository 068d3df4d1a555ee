package dev.mirrordj.verticles.proxy.seccomp;

import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import io.vertx.core.Future;
import java.util.List;

/**
 * What the supervisor needs from the proxy: the very requests and answers of the LD_PRELOAD layer
 * (so both layers share one policy and one agent link), plus the few facts the layer learns from
 * its Hello. Futures may complete on any thread.
 */
public interface SupervisedCalls {

  /** Answers a layer request on behalf of process {@code pid}, as for a layer in that process. */
  Future<LayerReply> handle(int pid, LayerRequest request);

  /**
   * What process {@code pid}'s layer would learn from its Hello: the feature flags (incoming on or
   * off, skip_processes) and listen_ports.
   */
  Future<LayerReply.Hello> hello(int pid);

  /** The bytes of a file in the pod, whatever the fs policy (resolv.conf and hosts for DNS). */
  Future<byte[]> podFile(String path);

  /** feature.network.dns: the program's resolver reads the pod's resolv.conf and hosts. */
  boolean remoteDns();

  /** feature.hostname: the program sees the pod's hostname. */
  boolean remoteHostname();

  /** Directory prefixes that are local for sure, answered without asking the policy. */
  List<String> localPrefixes();
}
