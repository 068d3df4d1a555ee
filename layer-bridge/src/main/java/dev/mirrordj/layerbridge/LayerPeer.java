package dev.mirrordj.layerbridge;

import dev.mirrordj.layerbridge.msg.LayerRequest;

/**
 * One layer connection (one thread of one process). {@code hello} is set once the layer introduced
 * itself; every connection starts with a Hello.
 */
public final class LayerPeer {
  private final long id;
  private volatile LayerRequest.Hello hello;

  LayerPeer(long id) {
    this.id = id;
  }

  /**
   * A process served without a layer connection (the seccomp supervisor answers for it), known from
   * the start by its Hello.
   */
  public static LayerPeer forSupervisedProcess(long id, LayerRequest.Hello hello) {
    LayerPeer p = new LayerPeer(id);
    p.hello(hello);
    return p;
  }

  public long id() {
    return id;
  }

  public LayerRequest.Hello hello() {
    return hello;
  }

  public int pid() {
    return hello == null ? -1 : hello.pid();
  }

  void hello(LayerRequest.Hello h) {
    this.hello = h;
  }

  @Override
  public String toString() {
    return "layer#" + id + (hello == null ? "" : "(pid " + hello.pid() + ")");
  }
}
