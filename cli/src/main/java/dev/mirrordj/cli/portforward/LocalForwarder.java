package dev.mirrordj.cli.portforward;

import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.verticles.proxy.StreamBridge;
import dev.mirrordj.verticles.proxy.remote.RemoteConnection;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code -L} mapping: a listener on loopback whose every connection is joined to a connection
 * the agent opens from the pod to the destination (a name is resolved by the pod's DNS, per
 * connection, as a program in the pod would). Ends are relayed as they happen; a destination the
 * pod cannot reach resets the local connection and is reported to the user.
 */
final class LocalForwarder {
  private static final Logger log = LoggerFactory.getLogger(LocalForwarder.class);
  private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

  private final Vertx vertx;
  private final RemoteTarget pod;
  private final ForwardSpecs.Local spec;
  private final Consumer<String> userNotice;
  private final AtomicLong connections = new AtomicLong();
  private NetServer server;

  LocalForwarder(
      Vertx vertx, RemoteTarget pod, ForwardSpecs.Local spec, Consumer<String> userNotice) {
    this.vertx = vertx;
    this.pod = pod;
    this.spec = spec;
    this.userNotice = userNotice;
  }

  /** Starts listening; completes with the local port (the chosen one when 0 was asked for). */
  Future<Integer> listen() {
    server = vertx.createNetServer();
    server.connectHandler(
        sock -> {
          String context = "-L " + spec.destination() + " #" + connections.incrementAndGet();
          Future<RemoteConnection> remote =
              destination()
                  .compose(a -> pod.connectStream(SockAddr.inet(a, spec.remotePort())))
                  .onFailure(
                      e ->
                          userNotice.accept(
                              "mirrord: port-forward: cannot connect to "
                                  + spec.destination()
                                  + " from the pod: "
                                  + e.getMessage()));
          log.debug("{}: accepted from {}", context, sock.remoteAddress());
          StreamBridge.bridge(sock, remote, context, () -> {});
        });
    return server
        .listen(SocketAddress.inetSocketAddress(spec.localPort(), "127.0.0.1"))
        .map(NetServer::actualPort)
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "cannot listen on 127.0.0.1:" + spec.localPort() + ": " + e.getMessage(),
                        e)));
  }

  /** The destination's address: a literal as it is, a name as the pod's DNS answers it. */
  private Future<InetAddress> destination() {
    String host = spec.remoteHost();
    if (ADDRESS_LITERAL.matcher(host).matches()) {
      try {
        return Future.succeededFuture(InetAddress.getByName(host)); // a literal: no lookup
      } catch (UnknownHostException e) {
        return Future.failedFuture(e);
      }
    }
    return pod.resolve(host)
        .compose(
            addresses ->
                addresses.isEmpty()
                    ? Future.failedFuture(
                        new UnknownHostException(host + " is not known to the pod's DNS"))
                    : Future.succeededFuture(addresses.get(0)));
  }
}
